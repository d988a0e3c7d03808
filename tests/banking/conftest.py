"""Bank statement tests: the invoice fixtures, and statements made up on the fly as CSV."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from billing_app.domain.statements import CsvMapping
from billing_app.models import BankStatementLine, ClientBankAccount, MatchProposal
from billing_app.models.banking import MatchProposalInvoice, ProposalStatus
from billing_app.services.banking import ImportResult, statement_import
from tests.invoices.conftest import company, customer, issued, rates  # noqa: F401
from tests.invoices.test_sqlite import session  # noqa: F401  (on SQLite, for test_sqlite.py)

FIXTURES = Path(__file__).parent / "fixtures"
BOOKED = date(2031, 6, 30)
"""Far from the test invoices' due dates (March and April 2031): no due-date evidence."""
COLUMNS = ("date", "amount", "currency", "reference", "name", "iban")
MAPPING = CsvMapping(date="date", amount="amount", currency="currency", reference="reference",
                     counterparty_name="name", counterparty_iban="iban",
                     date_format="%Y-%m-%d", decimal_separator=".")


def csv_file(*lines: dict) -> bytes:
    """A CSV statement of lines given as {amount, reference, name, iban, currency, date}."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow([line.get("date", BOOKED).isoformat(), line["amount"],
                         line.get("currency", "EUR"), line.get("reference", ""),
                         line.get("name", ""), line.get("iban", "")])
    return out.getvalue().encode()


@pytest.fixture
def receive(db, accountant):
    """receive(dict(amount=..., reference=...), ...): import those payments received."""

    def run(*lines: dict, file_name: str = "received.csv") -> ImportResult:
        return statement_import(db, actor=accountant, file_name=file_name,
                                data=csv_file(*lines), mapping=MAPPING)

    return run


def line_of(db, reference: str) -> BankStatementLine:
    return db.exec(select(BankStatementLine)
                   .where(BankStatementLine.reference == reference)).one()


def proposal_for(db, reference: str) -> MatchProposal | None:
    """The waiting proposal of the line with this reference, if any."""
    return db.exec(select(MatchProposal).where(
        MatchProposal.line_id == line_of(db, reference).id,
        MatchProposal.status == ProposalStatus.PROPOSED)).first()


def proposed_amounts(db, proposal: MatchProposal) -> dict[int, str]:
    """invoice id -> amount the proposal puts on it, as text like "100.00"."""
    rows = db.exec(select(MatchProposalInvoice)
                   .where(MatchProposalInvoice.proposal_id == proposal.id)).all()
    return {row.invoice_id: f"{row.amount:.2f}" for row in rows}


def know_account(db, client, iban: str) -> None:
    db.add(ClientBankAccount(client_id=client.id, iban=iban, holder_name=client.name))
    db.flush()
