"""Importing camt.053 and CSV statements: lines stored once, debits set aside, mappings
remembered per bank, bad files refused with nothing written."""

from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.domain.statements import CsvMapping
from billing_app.errors import PermissionDenied, ValidationFailed
from billing_app.models import (
    AuditLog,
    BankCsvProfile,
    BankStatement,
    BankStatementLine,
    LineStatus,
    MatchProposal,
)
from billing_app.queries.banking import csv_profiles
from billing_app.services.banking import statement_import
from tests.banking.conftest import FIXTURES, MAPPING, csv_file, line_of, proposal_for
from tests.support.factories import make_client

CAMT = (FIXTURES / "march.camt053.xml").read_bytes()
CSV = (FIXTURES / "northbank.csv").read_bytes()
NORTHBANK = CsvMapping(date="Buchungstag", amount="Betrag", currency="Waehrung",
                       reference="Verwendungszweck", counterparty_name="Auftraggeber",
                       counterparty_iban="IBAN", date_format="%d.%m.%Y", decimal_separator=",")


@pytest.fixture
def invoices(db, issued):
    """The invoices the fixture files pay, numbered as the files expect."""
    nordwind = make_client(db, name="Nordwind Handel GmbH")
    harbor = make_client(db, name="Blue Harbor Limited")
    made = [issued("119.00", client=nordwind), issued("250.00", client=nordwind),
            issued("80.00", client=harbor)]
    assert [invoice.number for invoice in made] == [
        "INV-2031-00001", "INV-2031-00002", "INV-2031-00003"]
    return made


def counts(db) -> tuple[int, int, int]:
    return tuple(db.exec(select(func.count()).select_from(model)).one()
                 for model in (BankStatement, BankStatementLine, MatchProposal))


def test_camt_import_stores_the_lines_and_proposes_matches(db, accountant, invoices):
    first, _, third = invoices
    result = statement_import(db, actor=accountant, file_name="march.xml", data=CAMT)

    assert (result.new_lines, result.already_imported, result.new_credits,
            result.debits_ignored, result.proposals) == (4, 0, 3, 1, 2)
    assert result.message == ("4 new lines, 0 already imported. Matches proposed for 2 of 3 "
                              "payments received. 1 payment made was set aside.")
    statement = db.get(BankStatement, result.statement_ids[0])
    assert (statement.source, statement.account_iban, statement.statement_ref,
            statement.opening_balance, statement.closing_balance, statement.line_count) == (
        "camt053", "DE44500105175407324931", "STMT-2031-03", Decimal("1000.00"),
        Decimal("1226.00"), 4)
    paid = line_of(db, "Invoice INV-2031-00001 thank you")
    assert (paid.amount, paid.counterparty_iban, paid.status) == (
        Decimal("119.00"), "DE89370400440532013000", "open")
    assert line_of(db, "Account fees March").status == LineStatus.IGNORED
    assert proposal_for(db, "Invoice INV-2031-00001 thank you").client_id == first.client_id
    # the number without its prefix ("2031/00003") is found too
    assert proposal_for(db, "Rechnung 2031/00003").client_id == third.client_id
    assert proposal_for(db, "Thanks for the help") is None
    audit = db.exec(select(AuditLog).where(AuditLog.action == "bank_statement.import")).one()
    assert audit.details["new_lines"] == 4 and audit.actor_user_id == accountant.id


def test_importing_the_same_statement_again_adds_nothing(db, accountant, invoices):
    statement_import(db, actor=accountant, file_name="march.xml", data=CAMT)
    before = counts(db)
    again = statement_import(db, actor=accountant, file_name="march-again.xml", data=CAMT)
    assert (again.new_lines, again.already_imported, again.statement_ids) == (0, 4, [])
    assert again.message == ("0 new lines, 4 already imported. This statement was imported "
                             "before; nothing was added.")
    assert counts(db) == before


def test_two_equal_payments_on_one_day_are_two_lines(db, accountant):
    twice = dict(amount="10.00", reference="Coffee")
    result = statement_import(db, actor=accountant, file_name="x.csv",
                              data=csv_file(twice, twice), mapping=MAPPING)
    assert result.new_lines == 2


def test_csv_import_with_a_mapping_remembers_it_for_the_bank(db, accountant, invoices):
    result = statement_import(db, actor=accountant, file_name="april.csv", data=CSV,
                              bank_profile="Northbank", mapping=NORTHBANK)
    assert (result.new_lines, result.new_credits, result.debits_ignored, result.proposals) == (
        3, 2, 1, 1)
    assert line_of(db, "INV-2031-00002").amount == Decimal("250.00")
    assert [(p.name, p.mapping) for p in csv_profiles(db, actor=accountant)] == [
        ("Northbank", NORTHBANK)]
    statement = db.get(BankStatement, result.statement_ids[0])
    assert statement.csv_profile_id == db.exec(select(BankCsvProfile.id)).one()

    # the next file of the same bank needs only the bank's name
    may = CSV.replace(b".04.2031", b".05.2031")
    later = statement_import(db, actor=accountant, file_name="may.csv", data=may,
                             bank_profile="NORTHBANK")
    assert later.new_lines == 3


def test_a_changed_mapping_replaces_the_saved_one(db, accountant):
    statement_import(db, actor=accountant, file_name="a.csv", data=CSV,
                     bank_profile="Northbank", mapping=NORTHBANK)
    fewer = CsvMapping(date="Buchungstag", amount="Betrag", reference="Verwendungszweck",
                       date_format="%d.%m.%Y", decimal_separator=",")
    statement_import(db, actor=accountant, file_name="b.csv", data=CSV,
                     bank_profile="Northbank", mapping=fewer, default_currency="CHF")
    (profile,) = csv_profiles(db, actor=accountant)
    assert (profile.mapping, profile.default_currency) == (fewer, "CHF")


def test_a_csv_without_columns_chosen_is_refused(db, accountant):
    with pytest.raises(ValidationFailed, match="Choose which columns"):
        statement_import(db, actor=accountant, file_name="a.csv", data=CSV)
    with pytest.raises(ValidationFailed, match="No columns are saved for Southbank"):
        statement_import(db, actor=accountant, file_name="a.csv", data=CSV,
                         bank_profile="Southbank")


@pytest.mark.parametrize("data, message", [
    (b"<Document><BkToCstmrStmt><Stmt>", "not well-formed XML"),
    (b"<?xml version='1.0'?><Invoice/>", "not a camt.053 bank statement"),
    (b"", "empty"),
    (CSV.replace(b"250,00", b"lots"), "Line 2"),
])
def test_bad_files_are_refused_with_a_message_and_nothing_is_written(
        db, accountant, data, message):
    before = counts(db)
    with pytest.raises(ValidationFailed, match=message):
        statement_import(db, actor=accountant, file_name="bad", data=data,
                         bank_profile="Northbank", mapping=NORTHBANK)
    assert counts(db) == before
    assert db.exec(select(BankCsvProfile)).first() is None


def test_a_viewer_cannot_import(db, viewer):
    before = counts(db)
    with pytest.raises(PermissionDenied):
        statement_import(db, actor=viewer, file_name="march.xml", data=CAMT)
    assert counts(db) == before
