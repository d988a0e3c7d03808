"""An accountant records payments against invoices; bad input saves nothing; viewers only read."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.domain.money import format_money, quantize_money
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment, PaymentStatus
from billing_app.queries.company import company_today
from billing_app.ui.states.payment_detail import PaymentDetailState
from billing_app.ui.states.payment_new import PaymentNewState
from tests.browser.conftest import sign_in
from tests.support.websocket import send_events, session_cookie


def an_open_invoice(engine, skip: int = 0) -> Invoice:
    """An issued invoice of the demo data with nothing paid yet and its due date still ahead."""
    with Session(engine) as db:
        return db.exec(select(Invoice).where(Invoice.status == "sent", Invoice.balance_due > 10,
                                             Invoice.due_date >= company_today(db))
                       .order_by(Invoice.id).offset(skip)).first()


def payment_count(engine) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(Payment)).one()


def signed_in(page, email: str) -> None:
    sign_in(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def amount_field(page):
    return page.get_by_label("Amount", exact=True)


def apply_field(page, invoice: Invoice):
    return page.get_by_label(f"Amount to apply to {invoice.number}")


def record_for_invoice(page, invoice: Invoice, amount: Decimal, reference: str) -> None:
    """Open the form from the invoice, pay `amount` of it, and land on the payment's page."""
    page.goto(f"/payments/new?invoice={invoice.id}")
    expect(apply_field(page, invoice)).to_be_visible()
    amount_field(page).fill(f"{amount}")
    expect(apply_field(page, invoice)).to_have_value(f"{amount}")  # the invoice it came from first
    page.get_by_label("Reference").fill(reference)
    expect(page.get_by_label("Allocation summary")).to_contain_text(
        f"Allocated {format_money(amount, invoice.currency)}")
    page.get_by_role("button", name="Record payment").click()
    expect(page).to_have_url(re.compile(r"/payments/\d+/?$"))
    expect(page.get_by_role("heading", name=reference)).to_be_visible()


def expect_invoice(page, invoice: Invoice, status: str, balance: Decimal) -> None:
    """Follow the allocation's link to the invoice and read its status and balance."""
    page.get_by_role("link", name=invoice.number).click()
    expect(page).to_have_url(re.compile(rf"/invoices/{invoice.id}/?$"))
    header = page.get_by_role("heading", name=invoice.number).locator("xpath=..")
    expect(header.get_by_text(status, exact=True)).to_be_visible()
    expect(page.get_by_label("Balance due")).to_have_text(
        re.compile(re.escape(format_money(balance, invoice.currency))))


@pytest.mark.browser
def test_accountant_pays_an_invoice_in_two_parts(page, live_engine):
    invoice = an_open_invoice(live_engine)
    balance = quantize_money(invoice.balance_due, invoice.currency)
    first = quantize_money(balance * Decimal("0.4"), invoice.currency)
    signed_in(page, "accountant@example.com")

    page.goto(f"/payments/new?invoice={invoice.id}")
    # the invoice's whole balance is offered first
    expect(amount_field(page)).to_have_value(f"{balance}")
    expect(apply_field(page, invoice)).to_have_value(f"{balance}")
    record_for_invoice(page, invoice, first, "UI first part")
    expect(page.get_by_label("Amount", exact=True)).to_contain_text(format_money(first, invoice.currency))
    expect_invoice(page, invoice, "Partially paid", balance - first)

    record_for_invoice(page, invoice, balance - first, "UI second part")
    expect_invoice(page, invoice, "Paid", Decimal(0))
    with Session(live_engine) as db:
        stored = db.get(Invoice, invoice.id)
    assert (stored.status, stored.balance_due) == ("paid", Decimal(0))


def open_balances(engine, invoice: Invoice) -> Decimal:
    """All the invoice's client still owes in its currency."""
    with Session(engine) as db:
        return db.exec(select(func.sum(Invoice.balance_due)).where(
            Invoice.client_id == invoice.client_id, Invoice.currency == invoice.currency,
            Invoice.status.in_(OPEN_STATUSES))).one()


@pytest.mark.browser
def test_oldest_first_settles_every_open_invoice_and_the_rest_stays_as_credit(page, live_engine):
    invoice = an_open_invoice(live_engine)
    owed = quantize_money(open_balances(live_engine, invoice), invoice.currency)
    signed_in(page, "accountant@example.com")
    page.goto(f"/payments/new?client={invoice.client_id}")
    expect(page.get_by_label("Client", exact=True)).to_have_value(re.compile(rf"\(#{invoice.client_id}\)$"))
    expect(apply_field(page, invoice)).to_have_value("")
    amount_field(page).fill(f"{owed + 25}")
    summary = page.get_by_label("Allocation summary")
    # the allocation follows the amount: every open invoice is settled, the rest stays as credit
    expect(apply_field(page, invoice)).to_have_value(f"{quantize_money(invoice.balance_due, invoice.currency)}")
    expect(summary).to_contain_text(f"Allocated {format_money(owed, invoice.currency)}")
    expect(summary).to_contain_text(f"Unallocated {format_money(25, invoice.currency)}")
    page.get_by_role("button", name="Clear").click()
    expect(apply_field(page, invoice)).to_have_value("")
    expect(summary).to_contain_text(f"Allocated {format_money(0, invoice.currency)}")
    expect(summary).to_contain_text(f"Unallocated {format_money(owed + 25, invoice.currency)}")
    page.get_by_role("button", name="Allocate oldest first").click()
    expect(apply_field(page, invoice)).to_have_value(f"{quantize_money(invoice.balance_due, invoice.currency)}")
    expect(summary).to_contain_text(f"Allocated {format_money(owed, invoice.currency)}")


@pytest.mark.browser
@pytest.mark.parametrize("case, message", [
    ("amount is no number", "is not an amount"),
    ("more on the invoice than it owes", "left to pay"),
])
def test_bad_input_is_explained_next_to_the_field_and_saves_nothing(page, live_engine, case, message):
    invoice = an_open_invoice(live_engine, skip=1)
    balance = quantize_money(invoice.balance_due, invoice.currency)
    before = payment_count(live_engine)
    signed_in(page, "accountant@example.com")
    page.goto(f"/payments/new?invoice={invoice.id}")
    expect(apply_field(page, invoice)).to_have_value(f"{balance}")
    if case == "amount is no number":
        amount_field(page).fill("abc")
    else:
        amount_field(page).fill(f"{balance + 50}")
        expect(apply_field(page, invoice)).to_have_value(f"{balance}")  # followed: at most its balance
        page.get_by_role("button", name="Clear").click()
        expect(apply_field(page, invoice)).to_have_value("")
        apply_field(page, invoice).fill(f"{balance + 50}")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/payments/new"))
    assert payment_count(live_engine) == before
    with Session(live_engine) as db:
        assert db.get(Invoice, invoice.id).balance_due == invoice.balance_due


@pytest.mark.browser
def test_credit_is_allocated_later_taken_off_again_and_the_payment_refunded(page, live_engine):
    invoice = an_open_invoice(live_engine, skip=2)
    balance = quantize_money(invoice.balance_due, invoice.currency)
    signed_in(page, "accountant@example.com")
    page.goto(f"/payments/new?client={invoice.client_id}")
    amount_field(page).fill(f"{balance}")
    page.get_by_label("Reference").fill("UI credit first")
    page.get_by_role("button", name="Clear").click()  # all of it stays as the client's credit
    expect(page.get_by_label("Allocation summary")).to_contain_text(
        f"Unallocated {format_money(balance, invoice.currency)}")
    page.get_by_role("button", name="Record payment").click()
    expect(page).to_have_url(re.compile(r"/payments/\d+/?$"))
    nothing_allocated = page.get_by_text("Nothing of this payment is on an invoice")
    expect(nothing_allocated).to_be_visible()

    page.get_by_role("button", name="Allocate remainder").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Clear").click()  # the remainder went oldest first; this one instead
    dialog.get_by_label(f"Amount to apply to {invoice.number}").fill(f"{balance}")
    expect(dialog.get_by_label("Allocation summary")).to_contain_text(
        f"Allocated {format_money(balance, invoice.currency)}")
    dialog.get_by_role("button", name="Allocate to invoices").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("link", name=invoice.number)).to_be_visible()
    with Session(live_engine) as db:
        assert db.get(Invoice, invoice.id).status == "paid"

    page.get_by_role("button", name="Remove", exact=True).click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove allocation").click()
    expect(nothing_allocated).to_be_visible()
    with Session(live_engine) as db:
        assert db.get(Invoice, invoice.id).balance_due == invoice.balance_due

    page.get_by_role("button", name="Refund payment").click()
    dialog.get_by_role("button", name="Refund payment").click()
    expect(dialog.get_by_text("Give the reason.")).to_be_visible()
    dialog.get_by_label("Reason").fill("Client asked for the money back")
    dialog.get_by_role("button", name="Refund payment").click()
    expect(page.get_by_text("Refunded on")).to_be_visible()
    expect(page.get_by_text("Client asked for the money back")).to_be_visible()
    for action in ["Void payment", "Refund payment", "Allocate remainder"]:
        expect(page.get_by_role("button", name=action)).to_have_count(0)
    with Session(live_engine) as db:
        refunded = db.exec(select(Payment).where(Payment.reference == "UI credit first")).one()
    assert refunded.status == PaymentStatus.REFUNDED


@pytest.mark.browser
def test_viewer_reads_payments_but_cannot_record_or_void(page, live_engine):
    signed_in(page, "viewer@example.com")
    page.goto("/payments")
    rows = page.get_by_role("row")
    expect(rows.nth(1)).to_be_visible()
    expect(page.get_by_role("link", name="Record payment")).to_have_count(0)
    rows.nth(1).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/payments/\d+/?$"))
    expect(page.get_by_text("Allocated to invoices")).to_be_visible()
    for action in ["Void payment", "Refund payment", "Allocate remainder", "Remove"]:
        expect(page.get_by_role("button", name=action)).to_have_count(0)
    page.goto("/payments/new")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def payment_links(page) -> set[str]:
    hrefs = page.get_by_role("table").get_by_role("rowheader").get_by_role("link").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))")
    return {href.rstrip("/") for href in hrefs}


@pytest.mark.browser
def test_client_filter_in_the_address_shows_only_that_clients_payments(page, live_engine):
    with Session(live_engine) as db:
        client_id, count = db.exec(select(Payment.client_id, func.count()).group_by(Payment.client_id)
                                   .order_by(func.count().desc(), Payment.client_id)).first()
        own = {f"/payments/{pid}" for pid in db.exec(select(Payment.id).where(Payment.client_id == client_id))}
        completed = db.exec(select(func.count()).select_from(Payment).where(
            Payment.client_id == client_id, Payment.status == PaymentStatus.COMPLETED)).one()
        name = db.get(Client, client_id).name
    everyone = payment_count(live_engine)
    assert 1 < count < everyone and completed
    signed_in(page, "viewer@example.com")
    page.goto(f"/payments?client={client_id}")
    chip = page.get_by_text(f"Client: {name}", exact=True)
    expect(chip).to_be_visible()
    pager_label = page.get_by_text(re.compile(r"^\d[\d,]*–\d[\d,]* of \d[\d,]*$"))
    expect(pager_label).to_have_text(re.compile(rf" of {count:,}$"))
    shown = payment_links(page)
    assert shown and shown <= own
    page.screenshot(path="/tmp/payments-of-one-client.png", full_page=True)

    page.get_by_label("Status").select_option(label="Completed")  # the other filters join it in the URL
    expect(page).to_have_url(re.compile(rf"/payments/?\?status=completed&client={client_id}$"))
    page.reload()
    expect(chip).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value("completed")
    expect(pager_label).to_have_text(re.compile(rf" of {completed:,}$"))
    assert payment_links(page) <= own

    page.get_by_role("button", name="Remove the client filter").click()
    expect(chip).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/payments/?\?status=completed$"))
    expect(pager_label).not_to_have_text(re.compile(rf" of {completed:,}$"))
    assert not payment_links(page) <= own


def crafted_record(app_url: str, email: str, client_id: int, payment_date: date) -> list:
    """Choose a client, type the amount and date, record: the events the form would send."""
    return send_events(app_url, session_cookie(app_url, email), [
        ("set_client_text", {"value": f"Anyone (#{client_id})"}),
        ("set_field", {"name": "amount", "value": "1.00"}),
        ("set_field", {"name": "payment_date", "value": payment_date.isoformat()}),
        ("record", {}),
    ], state=PaymentNewState, pathname="/payments/new")


@pytest.mark.browser
def test_crafted_record_and_void_events_from_a_viewer_change_nothing(live_app, live_engine):
    invoice = an_open_invoice(live_engine)
    with Session(live_engine) as db:
        payment = db.exec(select(Payment).where(Payment.status == PaymentStatus.COMPLETED)
                          .order_by(Payment.id)).first()
        today = company_today(db)
    before = payment_count(live_engine)
    record = crafted_record(live_app.url, "viewer@example.com", invoice.client_id, today)
    void = send_events(live_app.url, session_cookie(live_app.url, "viewer@example.com"), [
        ("load", {}), ("open_reverse", {"kind": "void"}), ("reverse", {"form": {"reason": "crafted"}}),
    ], state=PaymentDetailState, pathname=f"/payments/{payment.id}")
    assert "not allowed" in json.dumps(record)
    assert "not allowed" in json.dumps(void)
    assert payment_count(live_engine) == before
    with Session(live_engine) as db:
        assert db.get(Payment, payment.id).status == PaymentStatus.COMPLETED

    # the control: the same events from an accountant record the payment
    crafted_record(live_app.url, "accountant@example.com", invoice.client_id, today)
    assert payment_count(live_engine) == before + 1


def a_client_with_open_invoices(engine, count: int) -> list[Invoice]:
    """The open invoices, oldest due first, of the first client owing on `count` or more in
    its currency (the order Record payment lists them in)."""
    with Session(engine) as db:
        rows = db.exec(select(Invoice).join(Client, Client.id == Invoice.client_id)
                       .where(Invoice.status.in_(OPEN_STATUSES), Invoice.balance_due > 10,
                              Invoice.currency == Client.currency)
                       .order_by(Invoice.client_id, Invoice.due_date, Invoice.id)).all()
    by_client: dict[int, list[Invoice]] = {}
    for row in rows:
        by_client.setdefault(row.client_id, []).append(row)
    return next(invoices for invoices in by_client.values() if len(invoices) >= count)


def type_amount(page, amount: Decimal) -> None:
    field = amount_field(page)
    field.select_text()
    field.press("Backspace")
    field.press_sequentially(f"{amount}", delay=60)


@pytest.mark.browser
def test_the_allocation_follows_the_amount_until_it_is_edited_by_hand(page, live_engine):
    oldest, second, *later = a_client_with_open_invoices(live_engine, 2)
    currency = oldest.currency
    first_balance = quantize_money(oldest.balance_due, currency)
    signed_in(page, "accountant@example.com")
    page.goto(f"/payments/new?client={oldest.client_id}")
    expect(apply_field(page, oldest)).to_have_value("")

    # typed at a person's speed: the oldest is settled, the next gets the rest
    type_amount(page, first_balance + Decimal("5.00"))
    expect(apply_field(page, oldest)).to_have_value(f"{first_balance}")
    expect(apply_field(page, second)).to_have_value("5.00")
    # lowered: the allocation comes down with it, oldest first
    lower = quantize_money(first_balance / 2, currency)
    type_amount(page, lower)
    expect(apply_field(page, oldest)).to_have_value(f"{lower}")
    expect(apply_field(page, second)).to_have_value("")
    for invoice in later:
        expect(apply_field(page, invoice)).to_have_value("")
    expect(page.get_by_role("alert").filter(has_text="more than the")).to_have_count(0)

    # edited by hand: the allocation stays, and the mismatch is said at the amount
    apply_field(page, second).press_sequentially("7.00", delay=60)
    type_amount(page, Decimal("3.00"))
    expect(page.get_by_role("alert").filter(has_text="more than the")).to_be_visible()
    expect(apply_field(page, oldest)).to_have_value(f"{lower}")
    expect(apply_field(page, second)).to_have_value("7.00")
    before = payment_count(live_engine)
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_label("Allocation summary").get_by_role("alert")).to_contain_text("allocations add up to")
    expect(page).to_have_url(re.compile(r"/payments/new"))
    assert payment_count(live_engine) == before

    # "Allocate oldest first" makes it follow the amount again
    page.get_by_role("button", name="Allocate oldest first").click()
    expect(apply_field(page, oldest)).to_have_value("3.00")
    expect(apply_field(page, second)).to_have_value("")
    expect(page.get_by_role("alert").filter(has_text="more than the")).to_have_count(0)
