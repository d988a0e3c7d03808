"""Import the demo's sample bank statement and accept its confident matches, as a user would."""

import csv
import io
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from billing_app.demo.statement import sample_statement
from billing_app.domain.statements import guess_mapping
from billing_app.models import Invoice
from billing_app.models.users import Role, User
from billing_app.services.banking import proposals_accept_confident, statement_import


def pay_with_sample_statement(session: Session, today: date) -> tuple[list[dict], int, set[str]]:
    """The statement's rows, how many confident matches were accepted, and the statuses of the
    invoices its "Invoice <number>" lines pay in full (the caller rolls back)."""
    text = sample_statement(session, booked=today)
    assert text, "the demo data has too few open invoices for a sample statement"
    accountant = session.scalars(select(User).where(User.role == Role.ACCOUNTANT)).first()
    rows = list(csv.DictReader(io.StringIO(text)))
    result = statement_import(session, actor=accountant, file_name="sample.csv",
                              data=text.encode(), bank_profile="Demo Bank",
                              mapping=guess_mapping(list(rows[0])))
    assert (result.lines_in_file, result.debits_ignored) == (len(rows), 1)
    assert result.proposals >= result.new_credits - 1  # all but "Unknown Sender Ltd"
    accepted = proposals_accept_confident(session, actor=accountant, today=today)
    assert not accepted.skipped
    paid_in_full = [row["Description"].split()[1] for row in rows
                    if row["Description"].startswith("Invoice ")]
    assert paid_in_full
    statuses = session.scalars(select(Invoice.status).where(Invoice.number.in_(paid_in_full)))
    return rows, len(accepted.accepted), set(statuses.all())
