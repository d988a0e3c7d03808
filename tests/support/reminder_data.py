"""Committed data for reminder runs in other processes (a worker, two scanners): a database of
its own, migrated, with clients and issued invoices all due for the same reminder level."""

from datetime import date, timedelta

from sqlmodel import select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import make_engine, session_scope
from billing_app.models.clients import Client, Contact
from billing_app.models.company import Company
from billing_app.services.invoices import invoice_create_draft, invoice_issue

ISSUE_DATE = date(2031, 5, 2)
TERMS_DAYS = 14
SCAN_DAY = ISSUE_DATE + timedelta(days=TERMS_DAYS + 8)
"""Eight days after every due date: the migration's +7 level is the one due."""


def seed_due_invoices(url: str, count: int, *, clients: int = 10) -> list[int]:
    """`count` issued invoices of `clients` clients, each with a primary contact's address
    (client-N@example.com); returns the invoice ids."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            if session.exec(select(Company)).first() is None:
                session.add(Company(name="Reminder Test Ltd"))
            made = []
            for n in range(clients):
                client = Client(name=f"Reminder Client {n}", payment_terms_days=TERMS_DAYS)
                session.add(client)
                session.flush()
                session.add(Contact(client_id=client.id, name=f"Payables {n}",
                                    email=f"client-{n}@example.com", is_primary=True))
                made.append(client)
            ids = []
            for n in range(count):
                draft = invoice_create_draft(session, actor=SYSTEM_ACTOR, data={
                    "client_id": made[n % clients].id, "issue_date": ISSUE_DATE,
                    "lines": [{"description": f"Work {n}", "quantity": "1",
                               "unit_price": f"{100 + n}.00"}]})
                ids.append(invoice_issue(session, actor=SYSTEM_ACTOR, invoice_id=draft.id,
                                         today=ISSUE_DATE).id)
            return ids
    finally:
        engine.dispose()
