"""Reminder tests: the invoice fixtures, a schedule of their own and a client with an address."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import delete, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.messaging import EmailOutbox
from billing_app.models.reminders import ReminderLevel
from billing_app.services.reminders import reminder_level_create
from tests.invoices.conftest import ISSUE_DATE, company, customer, issued, rates  # noqa: F401

DUE = ISSUE_DATE + timedelta(days=14)  # the customer's payment terms
LEVELS = [  # days, name, template, fee
    (-3, "Friendly", "reminder", None, None),
    (7, "First", "reminder:first", None, None),
    (14, "Second", "reminder:second", "fixed", "5.00"),
    (30, "Final", "reminder:final", "percent", "2"),
]


@pytest.fixture
def levels(db, company) -> dict[str, ReminderLevel]:
    """The schedule above instead of the migration's defaults (rolled back after the test)."""
    db.exec(delete(ReminderLevel))
    return {name: reminder_level_create(db, actor=SYSTEM_ACTOR, data={
        "days": days, "name": name, "template_key": key, "fee_kind": fee_kind,
        "fee_value": fee_value}) for days, name, key, fee_kind, fee_value in LEVELS}


def emails_of(db, invoice_id: int) -> list[EmailOutbox]:
    return list(db.exec(select(EmailOutbox).where(EmailOutbox.invoice_id == invoice_id,
                                                  EmailOutbox.kind == "reminder")
                        .order_by(EmailOutbox.id)).all())


def money(text: str) -> Decimal:
    return Decimal(text)
