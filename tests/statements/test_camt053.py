from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from billing_app.domain.statements import MAX_FILE_BYTES, StatementFormatError, StatementLine, parse_camt053

FIXTURES = Path(__file__).parent / "fixtures"
BATCH = (FIXTURES / "camt053_batch.xml").read_bytes()
V8 = b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


def line(booking: str, amount: str, reference: str, name: str, iban: str, bank_ref: str, value: str | None = None,
         **details):
    return StatementLine(
        booking_date=date.fromisoformat(booking),
        value_date=date.fromisoformat(value or booking),
        amount=Decimal(amount),
        currency="EUR",
        reference=reference,
        counterparty_name=name,
        counterparty_iban=iban,
        bank_reference=bank_ref,
        **details,
    )


def test_a_statement_with_a_batch_entry_gives_one_line_per_transaction():
    [statement] = parse_camt053(BATCH)
    assert statement.account_iban == "DE89370400440532013000"
    assert statement.statement_id == "2024-03-28-DE89370400440532013000"
    assert statement.currency == "EUR"
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("1000.00"), Decimal("3445.60"))
    assert statement.lines == (
        # two <Ustrd> joined; the payer is the debtor, not the creditor (the account holder)
        line("2024-03-01", "1190.00", "Rechnung RE-2024-0042 vielen Dank", "Müller & Söhne GmbH",
             "DE44500105175407324931", "2024030100012345", end_to_end_id="RE-2024-0042",
             transaction_code="PMNT/RCDT/ESCT"),
        # money out: the payee; EndToEndId NOTPROVIDED is no reference
        line("2024-03-04", "-89.50", "Strom Abschlag März", "Stadtwerke Köln", "DE02370501980001802057", "",
             transaction_code="PMNT/IDDT/ESDD"),
        # the batch: BookgDt/DtTm 2024-03-06T00:15+01:00 is the 6th where the bank is (UTC: the 5th)
        line("2024-03-06", "500.00", "Invoice INV-2024-0101", "Alpha Consulting B.V.", "NL91ABNA0417164300",
             "BATCH-20240306-77-1", end_to_end_id="E2E-ALPHA-0101", transaction_code="PMNT/RCDT/BOOK"),
        # amount from AmtDtls/TxAmt, remittance from the structured creditor reference
        line("2024-03-06", "600.00", "RF18539007547034", "Beta Logistique SARL", "FR1420041010050500013M02606",
             "E2E-BETA-77", creditor_reference="RF18539007547034", end_to_end_id="E2E-BETA-77",
             transaction_code="PMNT/RCDT/BOOK"),
        # no reference of its own: the entry's; whitespace collapsed
        line("2024-03-06", "250.00", "INV-2024-0102 part payment", "Gamma GmbH", "DE75512108001245126199",
             "BATCH-20240306-77", transaction_code="PMNT/RCDT/BOOK"),
        # no transaction details at all: the entry's additional information
        line("2024-03-28", "-4.90", "Kontoführung März", "", "", "", transaction_code="ACMT/MDOP/CHRG"),
    )  # fmt: skip


def test_the_lines_add_up_from_the_opening_to_the_closing_balance():
    [statement] = parse_camt053(BATCH)
    assert statement.opening_balance + sum(line.amount for line in statement.lines) == statement.closing_balance


@pytest.mark.parametrize(
    "namespace",
    [
        b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
        b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04",
        b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.13",
    ],
)
def test_any_version_of_the_schema_reads_alike(namespace):
    assert parse_camt053(BATCH.replace(V8, namespace)) == parse_camt053(BATCH)


def test_a_batch_whose_transactions_state_no_amounts_stays_one_line():
    """Without an amount per transaction the entry cannot be split: one line, all remittance texts."""
    data = BATCH.replace(b'<Amt Ccy="EUR">500.00</Amt>', b"").replace(b'<Amt Ccy="EUR">250.00</Amt>', b"")
    [statement] = parse_camt053(data)
    batch = [line for line in statement.lines if line.booking_date == date(2024, 3, 6)]
    assert batch == [
        line("2024-03-06", "1350.00", "Invoice INV-2024-0101 INV-2024-0102 part payment", "Alpha Consulting B.V.",
             "NL91ABNA0417164300", "BATCH-20240306-77", creditor_reference="RF18539007547034",
             end_to_end_id="E2E-ALPHA-0101", transaction_code="PMNT/RCDT/BOOK"),
    ]  # fmt: skip


def entry_file(*entries: str) -> bytes:
    listed = "".join(f"<Ntry>{entry}</Ntry>" for entry in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>S-1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
{listed}</Stmt></BkToCstmrStmt></Document>""".encode()


GOOD_ENTRY = '<Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-01-02</Dt></BookgDt>'


def test_a_minimal_entry_is_read():
    [statement] = parse_camt053(entry_file(GOOD_ENTRY))
    assert statement.currency is None and statement.opening_balance is None
    assert statement.lines == (
        StatementLine(date(2024, 1, 2), None, Decimal("10.00"), "EUR", "", "", "", ""),
    )


@pytest.mark.parametrize("status", ["<Sts>PDNG</Sts>", "<Sts><Cd>PDNG</Cd></Sts>",
                                    "<Sts><Cd>INFO</Cd></Sts>"])
def test_pending_and_information_only_entries_are_not_read_as_money_received(status):
    booked = GOOD_ENTRY + "<Sts><Cd>BOOK</Cd></Sts>"
    [statement] = parse_camt053(entry_file(booked, GOOD_ENTRY.replace("10.00", "99.00") + status))
    assert [(line.amount, line.entry_status, line.is_money_received) for line in statement.lines] == [
        (Decimal("10.00"), "BOOK", True), (Decimal("99.00"), status.replace("<Cd>", "")[5:9], False)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"Buchungstag;Betrag\n01.01.2024;12,00\n",
         "This file is not a camt.053 bank statement. It is not well-formed XML (the problem is on line 1)."),
        (b"<Document><BkToCstmrStmt><Stmt></BkToCstmrStmt></Document>",
         "This file is not a camt.053 bank statement. It is not well-formed XML (the problem is on line 1)."),
        (b"<html><body>Statement</body></html>", "This file is not a camt.053 bank statement."),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt/></Document>',
         "This file is not a camt.053 bank statement."),
        (entry_file('<CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-01-02</Dt></BookgDt>'),
         "Statement S-1, entry 1 has no amount."),
        (entry_file(GOOD_ENTRY.replace("10.00", "12,3x")),
         'Statement S-1, entry 1: the amount "12,3x" is not a number.'),
        (entry_file(GOOD_ENTRY.replace(' Ccy="EUR"', "")), "Statement S-1, entry 1: the amount has no currency code."),
        (entry_file(GOOD_ENTRY.replace("CRDT", "")),
         "Statement S-1, entry 1 does not say whether it is money in (CRDT) or money out (DBIT)."),
        (entry_file(GOOD_ENTRY.replace("2024-01-02", "02.01.2024")), 'Statement S-1, entry 1: "02.01.2024" is not a date.'),
        (entry_file(GOOD_ENTRY.replace("BookgDt", "Other")), "Statement S-1, entry 1 has no booking date."),
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_a_message_a_clerk_can_read(data, message):
    with pytest.raises(StatementFormatError) as refused:
        parse_camt053(data)
    assert refused.value.message == message


@pytest.mark.parametrize("depth", [4, 9])
def test_an_entity_expansion_bomb_is_refused_without_expanding_it(depth):
    """10**9 "lol"s when expanded; libxml2 stops the deep one, our DTD check the shallow one."""
    entities = "".join(f'<!ENTITY l{n} "{"".join([f"&l{n - 1};"] * 10)}">' for n in range(1, depth + 1))
    bomb = f"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY l0 "lol">{entities}]>
<Document><BkToCstmrStmt><Stmt><Id>&l{depth};</Id></Stmt></BkToCstmrStmt></Document>""".encode()
    with pytest.raises(StatementFormatError, match=r"^This file is not a camt.053 bank statement\. It"):
        parse_camt053(bomb)


def test_an_external_entity_is_neither_fetched_nor_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for target in (secret.as_uri(), "http://127.0.0.1:9/evil.dtd"):
        xxe = f"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY x SYSTEM "{target}">]>
<Document><BkToCstmrStmt><Stmt><Id>&x;</Id></Stmt></BkToCstmrStmt></Document>""".encode()
        with pytest.raises(StatementFormatError) as refused:
            parse_camt053(xxe)
        assert "TOP-SECRET" not in refused.value.message


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(StatementFormatError, match="statements up to 20 MB can be imported"):
        parse_camt053(BATCH + b" " * MAX_FILE_BYTES)
