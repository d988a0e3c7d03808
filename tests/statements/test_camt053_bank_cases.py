"""camt.053 as banks really send it: reversals, returns, not-booked entries, structured
references, zones in dates, batches net of charges, odd precision and encodings.

Each case is a file in fixtures/bank_cases/, written like a bank's export."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from billing_app.domain.statements import (
    StatementFormatError,
    line_fingerprints,
    looks_like_xml,
    parse_camt053,
    set_aside_reason,
)

CASES = Path(__file__).parent / "fixtures" / "bank_cases"
US = ("Example Billing GmbH", "DE44500105175407324931")
NORDWIND = ("Nordwind Handel GmbH", "DE89370400440532013000")


def lines_of(name_or_data: str | bytes):
    data = (CASES / name_or_data).read_bytes() if isinstance(name_or_data, str) else name_or_data
    [statement] = parse_camt053(data)
    return statement.lines


def party(line) -> tuple[str, str]:
    return line.counterparty_name, line.counterparty_iban


def test_a_reversed_client_payment_is_a_reversal_naming_the_client():
    reversed_payment, _ = lines_of("reversal_debit.camt053.xml")
    assert (reversed_payment.amount, reversed_payment.reversal, reversed_payment.returned) == (
        Decimal("-119.00"), True, False)
    # the client was the debtor of the payment reversed, and still is: not us, the creditor
    assert party(reversed_payment) == NORDWIND
    assert (reversed_payment.reference, reversed_payment.end_to_end_id,
            reversed_payment.transaction_code) == (
        "Invoice INV-2031-00001", "NW-2031-0601", "PMNT/RCDT/ESCT")
    assert not reversed_payment.is_money_received
    assert set_aside_reason(reversed_payment) == "Reversal of a client's payment."


def test_without_a_debtor_name_the_ultimate_debtor_is_the_payer():
    _, payment = lines_of("reversal_debit.camt053.xml")
    assert party(payment) == ("Blue Harbor Limited", "GB29NWBK60161331926819")
    assert payment.is_money_received and not payment.reversal
    assert payment.end_to_end_id == ""  # NOTPROVIDED


def test_a_reversed_refund_is_money_in_that_is_no_payment_and_keeps_the_refunded_client():
    refund, refund_back = lines_of("reversal_credit.camt053.xml")
    # the refund: money out to the client (the creditor)
    assert (refund.amount, refund.reversal, party(refund)) == (Decimal("-50.00"), False, NORDWIND)
    # its reversal: money in, but from the refund, not a payment by us to ourselves
    assert (refund_back.amount, refund_back.reversal, party(refund_back)) == (
        Decimal("50.00"), True, NORDWIND)
    assert party(refund_back) != US
    assert refund_back.end_to_end_id == refund.end_to_end_id == "REFUND-2031-0007"
    assert not refund_back.is_money_received
    assert set_aside_reason(refund_back) == "Reversal of a payment we made (e.g. a refund came back)."


def test_a_returned_payment_carries_its_reason_and_is_not_money_received():
    sepa, proprietary = lines_of("return.camt053.xml")
    assert (sepa.amount, sepa.returned, sepa.return_reason, sepa.transaction_code) == (
        Decimal("75.50"), True, "AC04", "PMNT/ICDT/RRTN")
    # we paid the client: the client stays the creditor of the payment that came back
    assert party(sepa) == ("Blue Harbor Limited", "GB29NWBK60161331926819")
    assert (sepa.end_to_end_id, sepa.reference) == ("REFUND-2031-0009", "Refund INV-2031-00003")
    assert (proprietary.returned, proprietary.return_reason, proprietary.transaction_code,
            party(proprietary)) == (
        True, "Beneficiary unknown", "RRTN", ("Gamma GmbH", "DE75512108001245126199"))
    assert not sepa.is_money_received and not proprietary.is_money_received
    assert set_aside_reason(sepa) == "A payment we made came back (reason AC04); not money received."


def test_future_pending_and_information_entries_are_read_but_are_not_money_received():
    lines = lines_of("future.camt053.xml")
    assert [(line.amount, line.entry_status, line.is_money_received) for line in lines] == [
        (Decimal("250.00"), "BOOK", True),
        (Decimal("119.00"), "FUTR", False),
        (Decimal("80.00"), "PDNG", False),
        (Decimal("1.00"), "INFO", False),
    ]
    assert set_aside_reason(lines[1]) == "Not money received: a future entry, not booked yet."


def test_a_future_entry_booked_later_is_a_new_line():
    """Its key differs from the booked entry's: the booked one is imported when it comes."""
    future = lines_of("future.camt053.xml")[1]
    booked = replace(future, entry_status="BOOK")
    assert line_fingerprints([future], US[1]) != line_fingerprints([booked], US[1])


def test_structured_references_are_read_with_the_free_and_additional_texts():
    with_free_text, alone, additional_only = lines_of("structured_reference.camt053.xml")
    # the RF reference is kept even though free text is there; the text stays the reference
    assert (with_free_text.creditor_reference, with_free_text.reference) == (
        "RF51INV203100001", "Thank you for the quick delivery")
    # without free text the RF reference is the reference, followed by the additional text;
    # the creditor reference is kept as the file writes it (in groups of four)
    assert (alone.creditor_reference, alone.reference) == (
        "RF24 INV2 0310 0002", "RF24 INV2 0310 0002 Order 7781, second instalment")
    assert (additional_only.creditor_reference, additional_only.reference) == (
        "", "INV-2031-00003 PO 2031-17")


def test_dates_with_a_zone_keep_the_day_the_bank_wrote():
    [statement] = parse_camt053((CASES / "zone_dates.camt053.xml").read_bytes())
    assert [(line.booking_date, line.value_date) for line in statement.lines] == [
        (date(2024, 1, 2), date(2024, 1, 2)),  # 2024-01-02Z, 2024-01-02+01:00
        (date(2024, 1, 3), date(2024, 1, 3)),  # 2024-01-03-05:00, 23:30-05:00 (UTC: the 4th)
        (date(2024, 1, 4), date(2024, 1, 4)),  # 00:15:00.250+01:00 (UTC: the 3rd), 10:00Z
        (date(2024, 1, 5), None),  # a time without a zone
    ]
    assert statement.closing_balance == Decimal("40.00")


@pytest.mark.parametrize("written", ["2024-13-02Z", "2024-01-02 +01:00", "02.01.2024", "2024-01-02T25",
                                     "2024-01-02T10:61Z", "2024-01-02+1"])
def test_a_date_that_is_no_date_still_fails_with_its_entry(written):
    data = (CASES / "zone_dates.camt053.xml").read_bytes().replace(b"2024-01-02Z</Dt></BookgDt>",
                                                                   f"{written}</Dt></BookgDt>".encode())
    with pytest.raises(StatementFormatError) as refused:
        parse_camt053(data)
    assert refused.value.message == f'Statement 2024-01-05-ZONE, entry 1: "{written}" is not a date.'


def test_a_batch_booked_net_of_charges_gets_a_bank_charge_line():
    [statement] = parse_camt053((CASES / "net_charges.camt053.xml").read_bytes())
    assert [(line.amount, line.bank_charge, line.counterparty_name) for line in statement.lines] == [
        (Decimal("600.00"), False, "Nordwind Handel GmbH"),
        (Decimal("400.00"), False, "Blue Harbor Limited"),
        (Decimal("-2.50"), True, ""),  # stated in <Chrgs>
        (Decimal("-300.00"), False, "Office Supplies AG"),
        (Decimal("-200.00"), False, "Cleaning Services KG"),
        (Decimal("-1.00"), True, ""),  # not itemised: the difference all the same
    ]
    charge = statement.lines[2]
    assert (charge.reference, charge.bank_reference, charge.is_money_received) == (
        "Bank charges deducted from this batch", "BATCH-0619-IN", False)
    assert set_aside_reason(charge) == "Bank charges deducted from a batch booked net of them."
    # lines and entries agree, so the balances do
    assert statement.opening_balance + sum(line.amount for line in statement.lines) == statement.closing_balance
    assert len(set(line_fingerprints(statement.lines, US[1]))) == 6


def test_a_batch_that_adds_up_gets_no_charge_line():
    data = (CASES / "net_charges.camt053.xml").read_bytes().replace(b">997.50<", b">1000.00<")
    [statement] = parse_camt053(data)
    assert [line.amount for line in statement.lines if line.bank_charge] == [Decimal("-1.00")]


def test_an_amount_with_more_decimals_than_are_kept_is_refused_naming_its_entry():
    with pytest.raises(StatementFormatError) as refused:
        parse_camt053((CASES / "five_decimals.camt053.xml").read_bytes())
    assert refused.value.message == (
        'Statement 2031-06-20-DEC5, entry 2: the amount "1190.00125" has more than 4 decimals; '
        "amounts are kept exactly, so the file is not imported. Ask the bank for a file with "
        "fewer decimals.")


def test_trailing_zeros_beyond_four_decimals_are_exact_and_accepted():
    data = (CASES / "five_decimals.camt053.xml").read_bytes().replace(b"1190.00125", b"1190.00100")
    assert lines_of(data)[1].amount == Decimal("1190.001")


UTF16 = (CASES / "utf16le.camt053.xml").read_bytes()
TEXT = UTF16.decode("utf-16")


@pytest.mark.parametrize("data", [
    UTF16,  # UTF-16 little endian with its byte order mark, as the fixture is
    b"\xfe\xff" + TEXT.encode("utf-16-be"),  # big endian with its mark
    TEXT.replace('encoding="UTF-16"', 'encoding="UTF-8"').encode("utf-8-sig"),  # UTF-8 with a mark
    (CASES / "latin1.camt053.xml").read_bytes(),  # declared ISO-8859-1
], ids=["utf-16-le", "utf-16-be", "utf-8-bom", "latin-1"])
def test_xml_in_any_declared_or_marked_encoding_is_recognised_and_read(data):
    assert looks_like_xml(data)
    [line] = lines_of(data)
    assert (line.counterparty_name, line.reference, line.amount) == (
        "Müller & Söhne GmbH", "Zahlung für Rechnung INV-2031-00001, Grüße", Decimal("119.00"))


@pytest.mark.parametrize("data", [b"Datum;Betrag\n", "Datum;Betrag\n".encode("utf-16"), b"\xef\xbb\xbfDate,Amount\n",
                                  b""])
def test_csv_in_any_encoding_is_not_taken_for_xml(data):
    assert not looks_like_xml(data)


def test_a_utf16_file_declaring_entities_is_refused_like_any_other():
    hostile = TEXT.replace("<Document", '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document', 1)
    with pytest.raises(StatementFormatError) as refused:
        parse_camt053(hostile.replace("Grüße", "&x;").encode("utf-16"))
    assert "declares a document type" in refused.value.message
