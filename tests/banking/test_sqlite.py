"""Import, matching and acceptance on SQLite (the development database)."""

from datetime import date
from decimal import Decimal

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.services.banking import proposal_accept, statement_import
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from tests.banking.conftest import MAPPING, csv_file, proposal_for
from tests.invoices.conftest import draft, line
from tests.support.factories import make_client

DAY = date(2031, 1, 3)


def test_import_match_and_accept_on_sqlite(session):
    client = make_client(session, name="Wombat Werke")
    made = invoice_create_draft(session, actor=SYSTEM_ACTOR,
                                data=draft(client, line(unit_price="100.10"), issue_date=DAY))
    invoice = invoice_issue(session, actor=SYSTEM_ACTOR, invoice_id=made.id, today=DAY)
    data = csv_file(dict(amount="100.10", reference=invoice.number, date=invoice.due_date),
                    dict(amount="-5.00", reference="fee", date=DAY))

    first = statement_import(session, actor=SYSTEM_ACTOR, file_name="a.csv", data=data,
                             mapping=MAPPING)
    again = statement_import(session, actor=SYSTEM_ACTOR, file_name="a.csv", data=data,
                             mapping=MAPPING)

    assert (first.new_lines, first.proposals, again.new_lines, again.already_imported) == (
        2, 1, 0, 2)
    proposal = proposal_for(session, invoice.number)
    assert proposal.confidence == 85
    proposal_accept(session, actor=SYSTEM_ACTOR, proposal_id=proposal.id,
                    today=invoice.due_date)
    session.refresh(invoice)
    assert (invoice.status, invoice.balance_due) == ("paid", Decimal("0"))
