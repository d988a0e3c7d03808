"""Properties of compute_totals that must hold for any invoice."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from billing_app.domain.money import minor_unit, minor_units, quantize_money
from billing_app.domain.totals import DocumentTotals, LineInput, compute_totals

CURRENCIES = ["EUR", "JPY", "KWD", "USD"]
COMMON_RATES = [Decimal(r) for r in ("0", "5", "7", "7.7", "19", "20", "21", "25")]


def decimals(low: str, high: str, places: int):
    return st.decimals(Decimal(low), Decimal(high), places=places)


rates = st.one_of(st.sampled_from(COMMON_RATES), decimals("0", "100", 2))
one_rate = st.tuples(rates)
several_rates = st.lists(rates, max_size=3, unique_by=lambda r: r.normalize()).map(tuple)


@st.composite
def discount(draw, applies_to: Decimal, currency: str):
    """(type, value) valid for an amount: a percentage, or an amount of at most it."""
    kind = draw(st.sampled_from([None, "percent", "amount"]))
    if kind == "percent":
        return kind, draw(decimals("0", "100", 2))
    if kind == "amount":
        fraction = draw(st.fractions(0, 1))
        return kind, quantize_money(applies_to * fraction.numerator / fraction.denominator, currency)
    return None, None


@st.composite
def lines(draw, currency: str, rate_sets):
    quantity = draw(decimals("0", "1000", draw(st.integers(0, 4))))
    price = draw(decimals("0", "20000", draw(st.integers(0, 4))))
    kind, value = draw(discount(quantize_money(quantity * price, currency), currency))
    return LineInput(quantity, price, kind, value, draw(rate_sets))


@st.composite
def invoices(draw, rate_sets=one_rate, inclusive=st.booleans()):
    """Keyword arguments of compute_totals."""
    currency = draw(st.sampled_from(CURRENCIES))
    items = draw(st.lists(lines(currency, rate_sets), max_size=6))
    entered = sum((_entered(line, currency) for line in items), Decimal(0))
    kind, value = draw(discount(entered, currency))
    return {
        "lines": items,
        "currency": currency,
        "discount_type": kind,
        "discount_value": value,
        "tax_rounding": draw(st.sampled_from(["document", "line"])),
        "prices_include_tax": draw(inclusive),
    }


def _entered(line: LineInput, currency: str) -> Decimal:
    """Independent check: a line's gross minus its discount, in the prices' terms."""
    gross = quantize_money(line.quantity * line.unit_price, currency)
    if line.discount_type == "percent":
        return gross - quantize_money(gross * line.discount_value / 100, currency)
    if line.discount_type == "amount":
        return gross - line.discount_value
    return gross


def _amounts(totals: DocumentTotals) -> list[Decimal]:
    values = [totals.subtotal, totals.discount_total, totals.taxable, totals.tax_total, totals.total]
    for line in totals.lines:
        values += [line.gross, line.discount, line.net, line.tax]
    for tax in totals.taxes:
        values += [tax.base, tax.amount]
    return values


@given(invoices(rate_sets=several_rates, inclusive=st.just(False)) | invoices())
def test_totals_add_up(invoice):
    totals = compute_totals(**invoice)
    assert totals.total == totals.subtotal - totals.discount_total + totals.tax_total
    assert totals.taxable == totals.subtotal - totals.discount_total
    assert totals.tax_total == sum(tax.amount for tax in totals.taxes)
    assert totals.subtotal == sum(line.net for line in totals.lines)


@given(invoices(rate_sets=several_rates, inclusive=st.just(False)) | invoices())
def test_every_amount_has_the_currency_exponent_and_none_is_negative(invoice):
    exponent = -minor_units(invoice["currency"])
    for amount in _amounts(compute_totals(**invoice)):
        assert amount.as_tuple().exponent == exponent
        assert amount >= 0


@given(invoices())
def test_with_one_rate_per_line_the_bases_add_up_to_the_taxable_amount(invoice):
    totals = compute_totals(**invoice)
    assert sum(tax.base for tax in totals.taxes) == totals.taxable


@given(invoices(rate_sets=several_rates, inclusive=st.just(False)))
def test_net_prices_follow_br_co_17(invoice):
    totals = compute_totals(**{**invoice, "tax_rounding": "document"})
    for line in totals.lines:
        assert line.net == line.gross - line.discount
    for tax in totals.taxes:
        assert tax.amount == quantize_money(tax.base * tax.rate / 100, invoice["currency"])


@given(invoices(inclusive=st.just(True)))
def test_prices_including_tax_add_up_to_the_discounted_inclusive_grosses(invoice):
    totals = compute_totals(**invoice)
    currency = invoice["currency"]
    entered = sum((_entered(line, currency) for line in invoice["lines"]), Decimal(0))
    if invoice["discount_type"] == "percent":
        invoice_discount = quantize_money(entered * invoice["discount_value"] / 100, currency)
    else:
        invoice_discount = invoice["discount_value"] or 0
    assert totals.total == entered - invoice_discount
    for line in totals.lines:
        assert line.net + line.tax == line.gross - line.discount
    if invoice["tax_rounding"] == "document":  # within EN 16931's tolerance of one minor unit
        for tax in totals.taxes:
            expected = quantize_money(tax.base * tax.rate / 100, currency)
            assert abs(tax.amount - expected) <= minor_unit(currency)


@given(invoices(rate_sets=several_rates, inclusive=st.just(False)) | invoices())
def test_line_and_document_rounding_differ_by_at_most_one_minor_unit_per_line_tax(invoice):
    by_document = compute_totals(**{**invoice, "tax_rounding": "document"})
    by_line = compute_totals(**{**invoice, "tax_rounding": "line"})
    line_taxes = sum(len(line.tax_rates) for line in invoice["lines"])  # = lines, one rate each
    difference = abs(by_document.tax_total - by_line.tax_total)
    assert difference <= line_taxes * minor_unit(invoice["currency"])
    if invoice["prices_include_tax"]:  # the inclusive total is fixed, the split moves
        assert by_document.total == by_line.total
    else:  # the taxable amount is fixed, the tax moves
        assert by_document.taxable == by_line.taxable


@given(invoices(rate_sets=several_rates, inclusive=st.just(False)) | invoices())
def test_without_an_invoice_discount_line_taxes_add_up_to_the_tax_total(invoice):
    totals = compute_totals(**{**invoice, "discount_type": None, "discount_value": None})
    assert totals.discount_total == 0
    assert sum(line.tax for line in totals.lines) == totals.tax_total


@settings(max_examples=50)
@given(invoices(rate_sets=several_rates) | invoices(), st.randoms(use_true_random=False))
def test_document_totals_do_not_depend_on_the_order_of_lines(invoice, random):
    invoice = {**invoice, "tax_rounding": "document"}
    if invoice["prices_include_tax"] and any(len(x.tax_rates) > 1 for x in invoice["lines"]):
        invoice["prices_include_tax"] = False
    shuffled = list(invoice["lines"])
    random.shuffle(shuffled)
    original, reordered = compute_totals(**invoice), compute_totals(**{**invoice, "lines": shuffled})
    assert (original.taxes, original.total) == (reordered.taxes, reordered.total)
