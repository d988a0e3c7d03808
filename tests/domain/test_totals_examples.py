"""Worked examples; every expected number was calculated by hand, the working is in comments."""

from decimal import Decimal as D

import pytest

from billing_app.domain.totals import DocumentTotals, LineInput, TaxLine, compute_totals

R19 = (D("19"),)
R7 = (D("7"),)


def amounts(totals: DocumentTotals) -> tuple[str, ...]:
    return tuple(
        str(value)
        for value in (totals.subtotal, totals.discount_total, totals.taxable, totals.tax_total,
                      totals.total)
    )


def test_mixed_rates_with_line_and_invoice_discounts():
    lines = [
        LineInput(D("3"), D("19.99"), "percent", D("10"), R19),  # 59.97 - 5.997→6.00 = 53.97
        LineInput(D("2"), D("7.50"), "amount", D("1.25"), R7),  # 15.00 - 1.25 = 13.75
        LineInput(D("1"), D("100.00"), tax_rates=R19),  # 100.00
    ]
    totals = compute_totals(lines, currency="EUR", discount_type="amount", discount_value=D("10"))
    # subtotal 53.97 + 13.75 + 100.00 = 167.72
    # 10.00 over the bases 19%: 153.97 and 7%: 13.75 (sum 167.72):
    #   19%: 1000 * 153.97 / 167.72 = 918.018 cents -> 918, remainder .018
    #    7%: 1000 *  13.75 / 167.72 =  81.982 cents ->  81, remainder .982
    #   one cent left goes to the larger remainder (7%): 9.18 and 0.82
    # bases 19%: 153.97 - 9.18 = 144.79; 7%: 13.75 - 0.82 = 12.93; taxable 157.72
    # tax 19%: 144.79 * 0.19 = 27.5101 -> 27.51; 7%: 12.93 * 0.07 = 0.9051 -> 0.91; sum 28.42
    # total 157.72 + 28.42 = 186.14
    assert amounts(totals) == ("167.72", "10.00", "157.72", "28.42", "186.14")
    assert totals.taxes == (
        TaxLine(D("7"), D("12.93"), D("0.91")),
        TaxLine(D("19"), D("144.79"), D("27.51")),
    )
    assert [(str(t.gross), str(t.discount), str(t.net)) for t in totals.lines] == [
        ("59.97", "6.00", "53.97"), ("15.00", "1.25", "13.75"), ("100.00", "0.00", "100.00"),
    ]
    # line taxes before the invoice discount: 19% of 153.97 = 29.2543 -> 29.25 = 2925 cents,
    # shared 53.97 : 100.00 -> 1025.28 and 1899.72 cents -> 1025 + 1899 = 2924, the cent left
    # to the larger remainder (.72): 10.25 and 19.00; 7% of 13.75 = 0.9625 -> 0.96
    assert [str(t.tax) for t in totals.lines] == ["10.25", "0.96", "19.00"]


def test_document_and_line_rounding_differ():
    lines = [LineInput(D("1"), D("0.13"), tax_rates=R19)] * 3
    # per document: 0.39 * 0.19 = 0.0741 -> 0.07
    # per line: 0.13 * 0.19 = 0.0247 -> 0.02, three times 0.06
    assert compute_totals(lines, currency="EUR").tax_total == D("0.07")
    assert compute_totals(lines, currency="EUR", tax_rounding="line").tax_total == D("0.06")


def test_yen_has_no_minor_unit():
    lines = [LineInput(D("3"), D("333"), "percent", D("5"), (D("10"),))]
    # gross 999; discount 49.95 -> 50; net 949; tax 94.9 -> 95; total 1044
    totals = compute_totals(lines, currency="JPY")
    assert amounts(totals) == ("949", "0", "949", "95", "1044")


def test_kuwaiti_dinar_has_three_decimals():
    lines = [LineInput(D("1"), D("1.2345"), tax_rates=(D("5"),))]
    # gross 1.2345 -> 1.235 (half up); tax 1.235 * 0.05 = 0.06175 -> 0.062; total 1.297
    totals = compute_totals(lines, currency="KWD")
    assert amounts(totals) == ("1.235", "0.000", "1.235", "0.062", "1.297")


def test_prices_including_tax_never_drift():
    lines = [LineInput(D("1"), D("10.00"), tax_rates=R19)] * 3
    # per document: 30.00 * 19/119 = 4.789916 -> 4.79; nets 30.00 - 4.79 = 25.21
    #   line shares of 4.79 (equal weights): 159.67 cents each -> 159 x3 = 477, the first two
    #   of the tied remainders get the 2 cents left: 1.60, 1.60, 1.59 -> nets 8.40, 8.40, 8.41
    document = compute_totals(lines, currency="EUR", prices_include_tax=True)
    assert amounts(document) == ("25.21", "0.00", "25.21", "4.79", "30.00")
    assert [str(t.net) for t in document.lines] == ["8.40", "8.40", "8.41"]
    # per line: 10.00 * 19/119 = 1.596639 -> 1.60 each, 4.80; nets 8.40 each, 25.20
    line = compute_totals(lines, currency="EUR", prices_include_tax=True, tax_rounding="line")
    assert amounts(line) == ("25.20", "0.00", "25.20", "4.80", "30.00")


def test_prices_including_tax_with_an_invoice_discount():
    lines = [LineInput(D("1"), D("10.00"), tax_rates=R19), LineInput(D("1"), D("5.35"), tax_rates=R7)]
    totals = compute_totals(lines, currency="EUR", prices_include_tax=True,
                            discount_type="percent", discount_value=D("10"))
    # before the discount: 7%: 5.35 * 7/107 = 0.35, net 5.00; 19%: 10 * 19/119 = 1.5966 -> 1.60,
    #   net 8.40; subtotal 13.40
    # discount 10% of 15.35 = 1.535 -> 1.54, over 7%: 5.35 and 19%: 10.00 (sum 15.35):
    #   7%: 154 * 5.35 / 15.35 = 53.674 -> 53 (.674); 19%: 154 * 10 / 15.35 = 100.326 -> 100
    #   the cent left goes to 7%: 0.54 and 1.00 -> inclusive 4.81 and 9.00
    # 7%: 4.81 * 7/107 = 0.31467 -> 0.31, base 4.50; 19%: 9.00 * 19/119 = 1.43697 -> 1.44, base 7.56
    # taxable 12.06, tax 1.75, total 13.81 = 15.35 - 1.54; discount_total 13.40 - 12.06 = 1.34
    assert amounts(totals) == ("13.40", "1.34", "12.06", "1.75", "13.81")
    assert totals.taxes == (
        TaxLine(D("7"), D("4.50"), D("0.31")),
        TaxLine(D("19"), D("7.56"), D("1.44")),
    )


def test_a_line_with_two_rates_is_taxed_on_its_net_with_each():
    lines = [LineInput(D("2"), D("50.00"), tax_rates=(D("6.25"), D("1.5")))]
    # net 100.00; 6.25% -> 6.25; 1.5% -> 1.50; total 107.75
    totals = compute_totals(lines, currency="USD")
    assert totals.taxes == (TaxLine(D("1.5"), D("100.00"), D("1.50")),
                            TaxLine(D("6.25"), D("100.00"), D("6.25")))
    assert totals.total == D("107.75")


def test_untaxed_lines_count_in_the_totals_but_in_no_tax_line():
    lines = [LineInput(D("1"), D("10.00")), LineInput(D("1"), D("20.00"), tax_rates=R19)]
    # discount 3.00 over untaxed 10.00 and 19% 20.00: 1.00 and 2.00; 19% of 18.00 = 3.42
    totals = compute_totals(lines, currency="EUR", discount_type="amount", discount_value=D("3"))
    assert totals.taxes == (TaxLine(D("19"), D("18.00"), D("3.42")),)
    assert amounts(totals) == ("30.00", "3.00", "27.00", "3.42", "30.42")


def test_rates_written_differently_are_one_rate():
    lines = [LineInput(D("1"), D("1.00"), tax_rates=(D("19"),)),
             LineInput(D("1"), D("1.00"), tax_rates=(D("19.0000"),))]
    assert len(compute_totals(lines, currency="EUR").taxes) == 1


def test_no_lines_is_all_zero():
    totals = compute_totals([], currency="EUR")
    assert amounts(totals) == ("0.00", "0.00", "0.00", "0.00", "0.00")


@pytest.mark.parametrize(
    ("line", "options", "message"),
    [
        (LineInput(D("-1"), D("5")), {}, "quantity of line 1 cannot be negative"),
        (LineInput(D("1"), D("-5")), {}, "unit price of line 1 cannot be negative"),
        (LineInput(D("1"), D("NaN")), {}, "finite"),
        (LineInput(D("1"), D("5"), "percent", D("101")), {}, "more than 100%"),
        (LineInput(D("1"), D("5"), "amount", D("5.01")), {}, "more than the amount"),
        (LineInput(D("1"), D("5"), "percent", D("-1")), {}, "discount cannot be negative"),
        (LineInput(D("1"), D("5"), "coupon", D("1")), {}, "unknown discount type"),
        (LineInput(D("1"), D("5"), None, D("1")), {}, "no discount type"),
        (LineInput(D("1"), D("5"), tax_rates=(D("101"),)), {}, "above 100%"),
        (LineInput(D("1"), D("5"), tax_rates=(D("7"), D("7.0"))), {}, "same tax rate twice"),
        (LineInput(D("1"), D("5"), tax_rates=(D("7"), D("2"))), {"prices_include_tax": True},
         "takes one rate"),
        (LineInput(D("1"), D("5")), {"discount_type": "amount", "discount_value": D("6")},
         "invoice's discount of 6 is more than the amount"),
        (LineInput(D("1"), D("5")), {"tax_rounding": "invoice"}, "'document' or 'line'"),
        (LineInput(D("1"), D("5")), {"currency": "XYZ"}, "not a known ISO 4217"),
    ],
)
def test_invalid_input_is_refused_with_a_readable_message(line, options, message):
    with pytest.raises(ValueError, match=message):
        compute_totals([line], **{"currency": "EUR", **options})


def test_floats_are_refused():
    with pytest.raises(TypeError, match="Decimal"):
        compute_totals([LineInput(1.5, D("2"))], currency="EUR")
