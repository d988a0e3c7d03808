"""Our camt.053 reading agrees with an independent parser, genkgo/camt (PHP), on its own test files.

Each fixtures/<name>.expected.json is that library's dump of the XML beside it. The dump
writes an object once and "__RECURSIVITY__" where it recurs, so a few helpers below follow
those references. Where the dump and camt semantics part ways, the test says so.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from billing_app.domain.money import minor_units
from billing_app.domain.statements import StatementFormatError, StatementLine, parse_camt053

FIXTURES = Path(__file__).parent / "fixtures"
GENKGO_FILES = ["camt053.v2.minimal", "camt053.v2.multi.statement", "camt053.v4", "camt053.v8"]
SEEN = "__RECURSIVITY__"


def genkgo_entries(name: str) -> list[dict]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text())["getEntries"]


def money(dump: dict) -> Decimal:
    """genkgo's Money: signed minor units ("-700") and a currency -> Decimal("-7.00")."""
    currency = dump["getCurrency"]["getCode"]
    return Decimal(dump["getAmount"]).scaleb(-minor_units(currency))


def day(dump: dict | None) -> date | None:
    return datetime.fromisoformat(dump["0"]).date() if dump else None


def transactions(entry: dict) -> list[dict]:
    return [entry["getTransactionDetail"] if tx == SEEN else tx for tx in entry["getTransactionDetails"]]


def transaction_code(dump: dict | None) -> str:
    """genkgo's BankTransactionCode as "PMNT/RCDT/ESCT", else its proprietary code; "" for none."""
    if not dump:
        return ""
    if dump["getDomain"]:
        domain = dump["getDomain"]
        return "/".join((domain["getCode"], domain["getFamily"]["getCode"], domain["getFamily"]["getSubFamilyCode"]))
    return dump["getProprietary"]["getCode"] if dump["getProprietary"] else ""


def expected_line(entry: dict) -> StatementLine:
    """The line camt semantics give for one genkgo entry of a single transaction."""
    [tx] = transactions(entry)
    credit = entry["getCreditDebitIndicator"] == "CRDT"
    # the other party: whoever paid us on a credit, whoever we paid on a debit
    party_class = "Genkgo\\Camt\\DTO\\" + ("Debtor" if credit else "Creditor")
    parties = [p for p in tx["getRelatedParties"] if p["getRelatedPartyType"]["__CLASS__"] == party_class]
    party = parties[0] if parties else None
    remittance = tx["getRemittanceInformation"] or {}
    blocks = [remittance["getUnstructuredBlock"] if b == SEEN else b for b in remittance.get("getUnstructuredBlocks", [])]
    creditor_ref = remittance.get("getCreditorReferenceInformation") or {}
    end_to_end = (tx["getReference"] or {}).get("getEndToEndId") or ""
    return StatementLine(
        booking_date=day(entry["getBookingDate"]),
        value_date=day(entry["getValueDate"]),
        amount=money(entry["getAmount"]),
        currency=entry["getAmount"]["getCurrency"]["getCode"],
        reference=" ".join(b["getMessage"] for b in blocks) or creditor_ref.get("getRef") or entry["getAdditionalInfo"],
        counterparty_name=party["getRelatedPartyType"]["getName"] if party else "",
        counterparty_iban=party["getAccount"]["getIdentification"] if party and party["getAccount"] else "",
        bank_reference=entry["getAccountServicerReference"] or ("" if end_to_end == "NOTPROVIDED" else end_to_end),
        reversal=entry["getReversalIndicator"],
        entry_status=entry["getStatus"],
        creditor_reference=creditor_ref.get("getRef") or "",
        end_to_end_id="" if end_to_end == "NOTPROVIDED" else end_to_end,
        # the transaction's code, else the entry's
        transaction_code=transaction_code(tx["getBankTransactionCode"]) or transaction_code(entry["getBankTransactionCode"]),
    )


def balance(record: dict, kind: str) -> Decimal | None:
    found = [money(b["getAmount"]) for b in record["getBalances"] if b["getType"] == kind]
    return found[0] if found else None


@pytest.mark.parametrize("name", GENKGO_FILES)
def test_every_entry_agrees_with_genkgo(name):
    statements = {s.statement_id: s for s in parse_camt053((FIXTURES / f"{name}.xml").read_bytes())}
    entries = genkgo_entries(name)
    assert entries, "the dump holds no entry to compare"
    for entry in entries:
        record = entry["getRecord"]
        statement = statements[record["getId"]]
        assert len(statement.lines) == len(record["getEntries"])
        # amounts: genkgo signs them by CdtDbtInd as we do; the dates agree as genkgo's UTC times
        # (v8 books at 13:15+01:00) fall on the day the bank wrote
        assert statement.lines[entry["getIndex"]] == expected_line(entry)
        # v4 and v8 give the account in Acct/Id/Othr/Id, not Acct/Id/IBAN; it has an IBAN's shape
        assert statement.account_iban == record["getAccount"]["getIdentification"]
        # the minimal file's closing balance is in SEK on a EUR account: we keep the amount only
        assert statement.opening_balance == balance(record, "opening")
        assert statement.closing_balance == balance(record, "closing")


def test_the_first_statement_of_the_multi_statement_file_is_read_too():
    """The genkgo dump lacks statement 253: its Message::getEntries() chains each statement's
    entries keyed 0, 1, ..., so turned into an array the second statement's entry 0
    overwrote the first's. Its values, from the XML:"""
    first, second = parse_camt053((FIXTURES / "camt053.v2.multi.statement.xml").read_bytes())
    assert (first.statement_id, second.statement_id) == ("253EURNL26VAYB8060476890", "254EURNL26VAYB8060476890")
    assert (first.currency, first.opening_balance, first.closing_balance) == ("EUR", Decimal("18.15"), Decimal("27.00"))
    # A credit whose only related party is a <Cdtr>: on money in the creditor is the account
    # holder, so there is no counterparty (genkgo lists "Company Name 1" as a related party).
    assert first.lines == (
        StatementLine(
            booking_date=date(2014, 12, 31),
            value_date=date(2015, 1, 2),
            amount=Decimal("8.85"),
            currency="EUR",
            reference="Transaction Description 1",
            counterparty_name="",
            counterparty_iban="",
            bank_reference="000000001",
            end_to_end_id="000000001",
            transaction_code="544",
        ),
    )


def test_a_camt053_file_without_a_statement_is_refused_cleanly():
    with pytest.raises(StatementFormatError) as refused:
        parse_camt053((FIXTURES / "camt053.v2.wrong.xml").read_bytes())
    assert refused.value.message == "This camt.053 file contains no statement."
