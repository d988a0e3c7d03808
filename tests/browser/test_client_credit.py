"""Overpaying leaves client credit; it settles a later invoice. Credit notes lower a balance.

An accountant records more than an invoice's balance, sees the excess as the client's
credit, applies it to a new invoice; issues a credit note (and a too large one is refused);
a viewer sees payments and statements but no button that writes.
"""

import json
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.domain.money import format_money
from billing_app.models.clients import Client
from billing_app.models.invoices import CreditNote, Invoice
from billing_app.models.payments import PaymentAllocation
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.services.clients import client_create
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.ui.states.invoice_detail import InvoiceDetailState
from tests.browser.conftest import sign_in
from tests.browser.test_clients import error_next_to
from tests.support.websocket import send_events, session_cookie
from tests.browser.test_invoice_editor import choose_client, fill_line

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
INVOICE_PAGE = re.compile(r"/invoices/(\d+)/?$")
CENT = Decimal("0.01")


def open_invoice(engine, *, skip_clients=()) -> Invoice:
    """An unpaid EUR invoice of an active client without a credit limit."""
    with Session(engine) as db:
        return db.exec(
            select(Invoice).join(Client, Client.id == Invoice.client_id)
            .where(Invoice.status == "sent", Invoice.currency == "EUR", Invoice.amount_paid == 0,
                   Invoice.amount_credited == 0, ~Client.is_archived, Client.credit_limit.is_(None),
                   Client.currency == "EUR", Invoice.client_id.notin_(skip_clients))
            .order_by(Invoice.client_id.desc(), Invoice.id)).first()


def stored(engine, invoice_id: int) -> Invoice:
    with Session(engine) as db:
        return db.get(Invoice, invoice_id)


def credit_note_count(engine) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(CreditNote)).one()


def invoice_of_a_new_client(engine) -> Invoice:
    """An issued EUR invoice of a client of this test only: no other invoice is open, so money
    paid over it can only stay as the client's credit (with others open, it would go on them)."""
    tag = uuid.uuid4().hex[:6]
    with Session(engine, expire_on_commit=False) as db:
        client = client_create(db, actor=SYSTEM_ACTOR, data={
            "name": f"Overpaid Orchards {tag}", "email": f"ledger-{tag}@overpaid.example.com"})
        today = company_today(db)
        draft = invoice_create_draft(db, actor=SYSTEM_ACTOR, data={
            "client_id": client.id, "issue_date": today,
            "lines": [{"description": "Orchard survey", "quantity": "1", "unit_price": "640.00"}]})
        invoice = invoice_issue(db, actor=SYSTEM_ACTOR, invoice_id=draft.id, today=today)
        db.commit()
        return invoice


def test_an_overpayment_becomes_client_credit_that_settles_a_later_invoice(page, live_engine):
    first = invoice_of_a_new_client(live_engine)
    with Session(live_engine) as db:
        client = db.get(Client, first.client_id)
    sign_in(page, "accountant@example.com")

    # Pay the invoice with €50.00 too much, from the invoice's "Record payment" button.
    page.goto(f"/invoices/{first.id}")
    page.get_by_role("link", name="Record payment").click()
    expect(page).to_have_url(re.compile(rf"/payments/new/?\?client={client.id}&invoice={first.id}$"))
    amount, balance = page.get_by_label("Amount", exact=True), first.balance_due.quantize(CENT)
    expect(amount).to_have_value(f"{balance:f}")  # the invoice's balance, put in for us
    amount.fill(f"{balance + 50:f}")
    page.get_by_label("Reference").fill(f"Overpaid {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Record payment").click()
    expect(page).to_have_url(re.compile(r"/payments/\d+/?$"))
    assert stored(live_engine, first.id).status == "paid"

    page.goto(f"/clients/{client.id}")
    expect(page.get_by_label("Client credit")).to_contain_text("€50.00")
    expect(page.get_by_role("link", name="Record payment")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "client-credit.png"), full_page=True)

    # A new invoice of €119.00 (100 + 19 % tax) for the same client takes the credit.
    page.goto("/invoices/new")
    choose_client(page, client)
    fill_line(page, 1, "Follow-up support", "1", "100")
    expect(page.get_by_label("Invoice totals")).to_contain_text("€119.00")
    page.get_by_role("button", name="Save and issue").click()
    expect(page).to_have_url(INVOICE_PAGE)
    second_id = int(INVOICE_PAGE.search(page.url).group(1))
    expect(page.get_by_text("Client credit available: €50.00")).to_be_visible()
    expect(page.get_by_text("No payments yet.")).to_be_visible()
    page.get_by_role("button", name="Apply client credit").click()

    expect(page.get_by_label("Balance due")).to_contain_text("€69.00")
    expect(page.get_by_text("Partially paid", exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Apply client credit")).to_have_count(0)
    totals = page.get_by_label("Invoice totals")
    expect(totals).to_contain_text("€50.00")  # paid
    payments = page.get_by_role("table").filter(has_text="Method")
    expect(payments.get_by_role("row")).to_have_count(2)  # header and the credit used
    expect(payments).to_contain_text("€50.00")
    page.screenshot(path=str(SHOTS / "invoice-payments.png"), full_page=True)
    second = stored(live_engine, second_id)
    assert (second.status, second.balance_due) == ("partially_paid", Decimal("69.0000"))

    page.goto(f"/clients/{client.id}")
    expect(page.get_by_label("Client credit")).to_contain_text("None")


def test_a_credit_note_lowers_the_balance_and_a_too_large_one_is_refused(page, live_engine):
    invoice = open_invoice(live_engine)
    notes_before = credit_note_count(live_engine)
    sign_in(page, "accountant@example.com")
    page.goto(f"/invoices/{invoice.id}")
    expect(page.get_by_text("No credit notes yet.")).to_be_visible()

    page.get_by_role("button", name="Issue credit note").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Amount").fill(f"{invoice.total.quantize(CENT) + 1:f}")
    dialog.get_by_label("Reason").fill("Too much")
    dialog.get_by_role("button", name="Issue credit note").click()
    left = format_money(invoice.total, "EUR")
    expect(error_next_to(dialog, "Amount")).to_contain_text(f"at most {left}")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "credit-note-refused.png"))
    assert credit_note_count(live_engine) == notes_before
    assert stored(live_engine, invoice.id).balance_due == invoice.balance_due

    dialog.get_by_label("Amount").fill("10.00")
    dialog.get_by_label("Reason").fill("One item arrived damaged")
    dialog.get_by_role("button", name="Issue credit note").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    lowered = format_money(invoice.balance_due - 10, "EUR")
    expect(page.get_by_label("Balance due")).to_contain_text(lowered)
    with Session(live_engine) as db:
        note = db.exec(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).one()
    notes = page.get_by_role("table").filter(has_text="Reason")
    expect(notes).to_contain_text(note.number)
    expect(notes).to_contain_text("One item arrived damaged")
    expect(notes).to_contain_text("€10.00")

    page.goto(f"/clients/{invoice.client_id}")
    statement = page.get_by_role("table").filter(has_text="Debit")
    row = statement.get_by_role("row").filter(has_text=note.number)
    expect(row).to_contain_text("Credit note")
    expect(row).to_contain_text("€10.00")
    expect(page.get_by_label("Closing balance")).to_be_visible()


def test_viewer_sees_payments_and_statement_but_no_write_buttons(page, live_engine):
    invoice = open_invoice(live_engine)
    sign_in(page, "viewer@example.com")
    page.goto(f"/invoices/{invoice.id}")
    expect(page.get_by_role("heading", name="Payments")).to_be_visible()
    expect(page.get_by_role("heading", name="Credit notes")).to_be_visible()
    expect(page.get_by_label("Invoice totals")).to_contain_text("Credited")
    for action in ["Record payment", "Apply client credit", "Issue credit note"]:
        expect(page.get_by_role("button", name=action)).to_have_count(0)
        expect(page.get_by_role("link", name=action)).to_have_count(0)

    page.goto(f"/clients/{invoice.client_id}")
    expect(page.get_by_role("heading", name="Account statement")).to_be_visible()
    expect(page.get_by_label("Client credit")).to_be_visible()
    expect(page.get_by_label("Credit limit left")).to_be_visible()
    expect(page.get_by_role("heading", name="Payments")).to_be_visible()
    expect(page.get_by_role("link", name="Record payment")).to_have_count(0)


def test_crafted_credit_events_from_a_viewer_change_nothing(live_app, live_engine):
    invoice = open_invoice(live_engine)
    notes_before = credit_note_count(live_engine)
    answers = send_events(
        live_app.url, session_cookie(live_app.url, "viewer@example.com"),
        [("load", {}), ("apply_client_credit", {}),
         ("issue_credit_note", {"form": {"credit-note-amount": "1.00", "credit-note-reason": "crafted"}})],
        state=InvoiceDetailState, pathname=f"/invoices/{invoice.id}")
    assert json.dumps(answers).count("not allowed") >= 2
    assert credit_note_count(live_engine) == notes_before
    after = stored(live_engine, invoice.id)
    assert (after.balance_due, after.amount_paid) == (invoice.balance_due, invoice.amount_paid)


def test_a_client_user_sees_the_payments_on_its_own_invoice_without_staff_links(page, live_engine):
    with Session(live_engine) as db:
        own = db.exec(select(User.client_id).where(User.email == "client@example.com")).one()
        invoice, amount = db.exec(
            select(Invoice, PaymentAllocation.amount)
            .join(PaymentAllocation, PaymentAllocation.invoice_id == Invoice.id)
            .where(Invoice.client_id == own).order_by(Invoice.id)).first()
    sign_in(page, "client@example.com")
    page.goto(f"/my/invoices/{invoice.id}")
    expect(page.get_by_role("heading", name="Payments")).to_be_visible()
    payments = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Method"))
    expect(payments.get_by_text(format_money(amount, invoice.currency))).to_be_visible()
    expect(payments.get_by_role("link")).to_have_count(0)
    for action in ["Record payment", "Apply client credit", "Issue credit note"]:
        expect(page.get_by_role("button", name=action)).to_have_count(0)
        expect(page.get_by_role("link", name=action)).to_have_count(0)
