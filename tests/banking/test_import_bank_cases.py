"""Importing the statements banks really send (fixtures/bank_cases in tests/statements):
reversals, returns, not-booked entries and bank charges are stored with what the bank said
about them, set aside and never proposed as a client's payment."""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from billing_app.domain.statements import CsvMapping, StatementFormatError
from billing_app.models import BankCsvProfile, BankStatement, BankStatementLine, LineStatus, MatchProposal
from billing_app.services.banking import statement_import
from tests.banking.test_import import counts, invoices  # noqa: F401  (the invoices the files pay)

CASES = Path(__file__).parents[1] / "statements" / "fixtures" / "bank_cases"


@pytest.fixture
def load(db, accountant):
    def run(name: str):
        return statement_import(db, actor=accountant, file_name=name, data=(CASES / name).read_bytes())

    return run


def stored(db, result) -> list[BankStatementLine]:
    return list(db.exec(select(BankStatementLine)
                        .where(BankStatementLine.statement_id.in_(result.statement_ids))
                        .order_by(BankStatementLine.id)))


def proposed(db, line: BankStatementLine) -> bool:
    return db.exec(select(MatchProposal).where(MatchProposal.line_id == line.id)).first() is not None


def test_a_reversed_client_payment_is_stored_as_a_reversal_and_not_matched(db, load, invoices):
    result = load("reversal_debit.camt053.xml")
    reversed_payment, payment = stored(db, result)
    assert (reversed_payment.amount, reversed_payment.reversal, reversed_payment.status,
            reversed_payment.counterparty_name, reversed_payment.end_to_end_id,
            reversed_payment.transaction_code) == (
        Decimal("-119.0000"), True, LineStatus.IGNORED, "Nordwind Handel GmbH", "NW-2031-0601",
        "PMNT/RCDT/ESCT")
    assert not proposed(db, reversed_payment)
    # the ultimate debtor pays INV-2031-00003: money received, proposed to its client
    assert (payment.counterparty_name, payment.status) == ("Blue Harbor Limited", LineStatus.OPEN)
    assert proposed(db, payment)
    assert result.message == ("2 new lines, 0 already imported. Matches proposed for 1 of 1 payment "
                              "received. 1 line set aside: Reversal of a client's payment.")


def test_a_reversed_refund_and_a_return_are_set_aside_with_what_the_bank_said(db, load, invoices):
    refund, refund_back = stored(db, load("reversal_credit.camt053.xml"))
    assert (refund_back.amount, refund_back.reversal, refund_back.status,
            refund_back.counterparty_name) == (
        Decimal("50.0000"), True, LineStatus.IGNORED, "Nordwind Handel GmbH")
    assert refund.status == LineStatus.IGNORED and not refund.reversal

    result = load("return.camt053.xml")
    sepa, proprietary = stored(db, result)
    assert (sepa.returned, sepa.return_reason, sepa.transaction_code, sepa.status,
            sepa.counterparty_name) == (
        True, "AC04", "PMNT/ICDT/RRTN", LineStatus.IGNORED, "Blue Harbor Limited")
    assert (proprietary.returned, proprietary.return_reason) == (True, "Beneficiary unknown")
    assert not any(proposed(db, line) for line in (refund, refund_back, sepa, proprietary))
    assert result.new_credits == 0 and result.set_aside == {
        "A payment we made came back (reason AC04); not money received.": 1,
        "A payment we made came back (reason Beneficiary unknown); not money received.": 1}


def test_entries_not_booked_are_stored_set_aside_and_the_booked_one_matched(
        db, accountant, load, invoices):
    result = load("future.camt053.xml")
    lines = stored(db, result)
    assert [(line.amount, line.entry_status, line.status, proposed(db, line)) for line in lines] == [
        (Decimal("250.0000"), "BOOK", LineStatus.OPEN, True),
        (Decimal("119.0000"), "FUTR", LineStatus.IGNORED, False),
        (Decimal("80.0000"), "PDNG", LineStatus.IGNORED, False),
        (Decimal("1.0000"), "INFO", LineStatus.IGNORED, False),
    ]
    assert (result.new_credits, result.debits_ignored) == (1, 0)
    assert "1 line set aside: Not money received: a future entry, not booked yet." in result.message

    # the next statement books the future entry: a new line, money received this time
    booked = (CASES / "future.camt053.xml").read_bytes().replace(b"<Sts>FUTR</Sts>", b"<Sts>BOOK</Sts>")
    later = statement_import(db, actor=accountant, file_name="next.xml", data=booked)
    [line] = stored(db, later)
    assert (later.new_lines, line.amount, line.status, proposed(db, line)) == (
        1, Decimal("119.0000"), LineStatus.OPEN, True)


def test_a_batch_net_of_charges_stores_a_bank_charge_line_set_aside(db, load, invoices):
    result = load("net_charges.camt053.xml")
    lines = stored(db, result)
    assert [(line.amount, line.bank_charge, line.status, proposed(db, line)) for line in lines] == [
        (Decimal("600.0000"), False, LineStatus.OPEN, True),
        (Decimal("400.0000"), False, LineStatus.OPEN, True),
        (Decimal("-2.5000"), True, LineStatus.IGNORED, False),
        (Decimal("-300.0000"), False, LineStatus.IGNORED, False),
        (Decimal("-200.0000"), False, LineStatus.IGNORED, False),
        (Decimal("-1.0000"), True, LineStatus.IGNORED, False),
    ]
    statement = db.get(BankStatement, result.statement_ids[0])
    assert statement.opening_balance + sum(line.amount for line in lines) == statement.closing_balance
    assert (result.debits_ignored, result.set_aside) == (
        2, {"Bank charges deducted from a batch booked net of them.": 2})


def test_structured_references_are_stored(db, load, invoices):
    lines = stored(db, load("structured_reference.camt053.xml"))
    assert [(line.creditor_reference, line.reference) for line in lines] == [
        ("RF51INV203100001", "Thank you for the quick delivery"),
        ("RF24 INV2 0310 0002", "RF24 INV2 0310 0002 Order 7781, second instalment"),
        ("", "INV-2031-00003 PO 2031-17"),
    ]


def test_a_utf16_statement_is_imported_as_camt053(db, load, invoices):
    result = load("utf16le.camt053.xml")
    [line] = stored(db, result)
    assert db.get(BankStatement, result.statement_ids[0]).source == "camt053"
    assert (line.counterparty_name, line.reference, line.status) == (
        "Müller & Söhne GmbH", "Zahlung für Rechnung INV-2031-00001, Grüße", LineStatus.OPEN)
    assert proposed(db, line)


def test_every_file_imported_again_adds_nothing(db, load, invoices):
    names = ["reversal_debit.camt053.xml", "reversal_credit.camt053.xml", "return.camt053.xml",
             "future.camt053.xml", "net_charges.camt053.xml", "structured_reference.camt053.xml",
             "zone_dates.camt053.xml", "utf16le.camt053.xml"]
    for name in names:
        load(name)
    before = counts(db)
    assert [load(name).new_lines for name in names] == [0] * len(names)
    assert counts(db) == before


def test_an_amount_with_five_decimals_is_refused_and_nothing_is_written(db, load):
    before = counts(db)
    with pytest.raises(StatementFormatError, match="entry 2: the amount \"1190.00125\" has more than 4 decimals"):
        load("five_decimals.camt053.xml")
    assert counts(db) == before


def test_a_csv_with_a_direction_column_is_imported_and_its_mapping_saved(db, accountant, invoices):
    mapping = CsvMapping(date="Datum", amount="Bedrag (EUR)", direction="Af Bij",
                         reference="Mededelingen", counterparty_name="Naam / Omschrijving",
                         counterparty_iban="Tegenrekening")
    data = (CASES / "ing_af_bij.csv").read_bytes()
    result = statement_import(db, actor=accountant, file_name="ing.csv", data=data,
                              bank_profile="ING", mapping=mapping)
    assert [line.amount for line in stored(db, result)] == [
        Decimal("119.0000"), Decimal("-89.5000"), Decimal("80.0000")]
    assert (result.new_credits, result.debits_ignored) == (2, 1)
    assert db.exec(select(BankCsvProfile.mapping)).one()["direction"] == "Af Bij"
    # the next file of the bank needs its name only
    later = statement_import(db, actor=accountant, file_name="ing-july.csv",
                             data=data.replace(b'"203106', b'"203107'), bank_profile="ing")
    assert [line.amount for line in stored(db, later)] == [
        Decimal("119.0000"), Decimal("-89.5000"), Decimal("80.0000")]
