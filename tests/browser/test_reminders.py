"""Reminders in the browser: an admin sets up a level in Settings and edits a level's email
template (with its preview), which the next reminder uses; an accountant sees on the invoice
page the reminder sent, its late fee and the next one, and pauses reminders for the invoice
and for its client; a viewer reads them but cannot pause."""

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, delete

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.clients import Client, Contact
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailTemplate
from billing_app.models.reminders import ReminderLevel
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.reminders import reminder_send
from tests.browser.conftest import sign_in

ISSUE_DATE = date(2026, 10, 1)
DUE = ISSUE_DATE + timedelta(days=14)


def _new_invoice(db: Session) -> tuple[int, int, str]:
    """(invoice id, client id, client name): 119.00 to a new client with a primary contact."""
    name = f"Dunning Test {uuid.uuid4().hex[:6]}"
    client = Client(name=name, payment_terms_days=14)
    db.add(client)
    db.flush()
    db.add(Contact(client_id=client.id, name="Payables", email="payables@example.com",
                   is_primary=True))
    draft = invoice_create_draft(db, actor=SYSTEM_ACTOR, data={
        "client_id": client.id, "issue_date": ISSUE_DATE,
        "lines": [{"description": "Audit", "quantity": "1", "unit_price": "119.00"}]})
    invoice_issue(db, actor=SYSTEM_ACTOR, invoice_id=draft.id, today=ISSUE_DATE)
    return draft.id, client.id, name


@pytest.fixture
def reminded_invoice(live_engine) -> tuple[int, int, str]:
    """An invoice that got the 'Second reminder' (2% late fee of 119.00) on its 14th day
    overdue."""
    with Session(live_engine) as db:
        made = _new_invoice(db)
        assert reminder_send(db, invoice_id=made[0], today=DUE + timedelta(days=14)) is not None
        db.commit()
        return made


def _removed_afterwards(engine, column, value):
    """Yields `value`; after the test, deletes the rows whose `column` holds it."""
    yield value
    with Session(engine) as db:
        db.exec(delete(column.class_).where(column == value))
        db.commit()


@pytest.fixture
def first_template(live_engine):
    """The 'First reminder' template, back to its default afterwards."""
    yield from _removed_afterwards(live_engine, EmailTemplate.key, "reminder:first")


@pytest.fixture
def added_level(live_engine):
    """The name of the level the test adds, taken away afterwards."""
    yield from _removed_afterwards(live_engine, ReminderLevel.name, "Collection warning")


def test_admin_adds_a_reminder_level_with_a_fee(page, added_level):
    sign_in(page, "admin@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/admin/settings")
    page.get_by_role("tab", name="Reminders").click()
    levels = page.get_by_role("table").filter(has_text="Email template")
    expect(levels).to_contain_text("First reminder")
    expect(page.get_by_label("Time zone")).to_have_value(re.compile(r".+/.+|UTC"))

    page.get_by_role("button", name="Add level").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(added_level)
    dialog.get_by_label("Days after the due date").fill("14")
    dialog.get_by_label("Email template").fill("reminder:collection")
    dialog.get_by_label("Late fee", exact=True).select_option("fixed")
    dialog.get_by_label("Fee amount or percent").fill("15.00")
    dialog.get_by_role("button", name="Save level").click()
    expect(dialog.get_by_text("Another level is already 14 days from the due date.")).to_be_visible()
    dialog.get_by_label("Days after the due date").fill("45")
    dialog.get_by_role("button", name="Save level").click()

    row = levels.get_by_role("row").filter(has_text=added_level)
    expect(row).to_contain_text("45 days after due")
    expect(row).to_contain_text("€15.00")
    expect(row).to_contain_text("reminder:collection")


def test_invoice_page_shows_reminders_and_pauses_them(page, reminded_invoice):
    invoice_id, client_id, client_name = reminded_invoice
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/invoices/{invoice_id}")

    sent = page.get_by_role("table").filter(has_text="Late fee")
    expect(sent.get_by_role("row").filter(has_text="Second reminder")).to_contain_text("€2.38")
    expect(page.get_by_text("Late fees")).to_be_visible()
    expect(page.get_by_label("Balance due")).to_contain_text("€121.38")
    expect(page.get_by_text(re.compile(r"^Next reminder: Final notice on \d{4}-\d\d-\d\d")))\
        .to_be_visible()

    page.get_by_label("Reason for pausing reminders").fill("Disputed delivery")
    page.get_by_role("button", name="Pause reminders for this invoice").click()
    expect(page.get_by_text("Reminders paused: Disputed delivery")).to_be_visible()
    expect(page.get_by_text("No further reminder is scheduled.")).to_be_visible()
    page.get_by_role("button", name="Resume reminders").click()
    expect(page.get_by_text(re.compile(r"^Next reminder: Final notice"))).to_be_visible()

    page.goto(f"/clients/{client_id}")
    expect(page.get_by_role("heading", name=client_name)).to_be_visible()
    page.get_by_label("Reason for pausing reminders").fill("Disputed")
    page.get_by_role("button", name="Pause reminders for this client").click()
    expect(page.get_by_text("Reminders paused: Disputed", exact=True)).to_be_visible()
    page.goto(f"/invoices/{invoice_id}")
    expect(page.get_by_text("Reminders are paused for this client: Disputed")).to_be_visible()


def test_a_viewer_reads_reminders_but_cannot_pause(page, reminded_invoice):
    invoice_id, _, _ = reminded_invoice
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/invoices/{invoice_id}")
    expect(page.get_by_role("table").filter(has_text="Late fee")).to_contain_text("Second reminder")
    expect(page.get_by_role("button", name=re.compile("Pause reminders"))).to_have_count(0)


def test_admin_edits_a_reminder_template_and_the_next_reminder_uses_it(page, live_engine,
                                                                        first_template):
    sign_in(page, "admin@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/admin/settings")
    page.get_by_role("tab", name="Email templates").click()
    page.get_by_label("Template", exact=True).select_option(first_template)
    subject = page.get_by_label("Subject", exact=True)
    expect(subject).to_have_value(re.compile(r"^Reminder: invoice"))
    subject.fill("Overdue: {{ invoice_number }} ({{ days_overdue }} days)")
    expect(page.get_by_label("Preview subject")).to_contain_text("Overdue: INV-2026-00042 (14 days)")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("Edited (the default is kept)")).to_be_visible()

    with Session(live_engine) as db:  # the next scan reaches an invoice 7 days overdue
        invoice_id, _, _ = _new_invoice(db)
        subject = reminder_send(db, invoice_id=invoice_id, today=DUE + timedelta(days=7)).subject
        number = db.get(Invoice, invoice_id).number
        db.commit()
    assert subject == f"Overdue: {number} (7 days)"
