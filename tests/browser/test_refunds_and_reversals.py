"""An accountant imports a camt.053 file in which the bank reverses a client's payment, marks
the payment returned from the statement line, and finds the invoice open again; and refunds
part of a payment from its page, typing the amount like a person."""

import json
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.domain.money import format_money
from billing_app.models.audit import AuditLog
from billing_app.models.banking import MatchProposal, ProposalStatus
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment, Refund
from billing_app.queries.company import company_today
from billing_app.queries.payments import client_credit
from billing_app.services.banking import proposal_accept, statement_import
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.payments import payment_record
from billing_app.ui.states.payment_detail import PaymentDetailState
from tests.browser.conftest import sign_in
from tests.support.camt import Entry, camt053
from tests.support.websocket import send_events, session_cookie

SHOTS = Path("/tmp/shots")


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"refunds-{name}.png"), full_page=True)


def _open_invoice(engine, price: str) -> tuple[Invoice, str]:
    """A new invoice issued on the app's today (its `issue_date`) to a demo client (other
    tests' invoices are left alone), with the client's name."""
    with Session(engine) as db:
        today = company_today(db)
        client = db.exec(select(Client).where(Client.currency == "EUR", ~Client.is_archived)
                         .order_by(Client.id.desc())).first()
        draft = invoice_create_draft(db, actor=SYSTEM_ACTOR, data={
            "client_id": client.id, "issue_date": today,
            "lines": [{"description": "Reversal test", "quantity": "1", "unit_price": price}]})
        invoice = invoice_issue(db, actor=SYSTEM_ACTOR, invoice_id=draft.id,
                                override_credit_limit=True, today=today)
        db.commit()
        db.refresh(invoice)
        return invoice, client.name


def _paid_from_a_statement(engine, invoice: Invoice, name: str, booked: date,
                           end_to_end_id: str) -> Payment:
    """The invoice paid by a line of an earlier statement (its match accepted)."""
    with Session(engine) as db:
        statement_import(db, actor=SYSTEM_ACTOR, file_name="earlier.xml", data=camt053(
            Entry(invoice.balance_due, booked, name, reference=invoice.number,
                  end_to_end_id=end_to_end_id), statement_id=f"EARLIER-{end_to_end_id}"))
        proposal = db.exec(select(MatchProposal).where(
            MatchProposal.client_id == invoice.client_id,
            MatchProposal.status == ProposalStatus.PROPOSED)
            .order_by(MatchProposal.id.desc())).first()
        payment = proposal_accept(db, actor=SYSTEM_ACTOR, proposal_id=proposal.id, today=booked)
        db.commit()
        db.refresh(payment)
        return payment


@pytest.mark.browser
def test_a_reversed_payment_is_marked_returned_from_the_statement_line(page, live_engine,
                                                                        tmp_path):
    invoice, name = _open_invoice(live_engine, f"6{uuid.uuid4().int % 100:02d}.{uuid.uuid4().int % 100:02d}")
    balance, status = invoice.balance_due, invoice.status
    today = invoice.issue_date
    paid_on, reversed_on = today - timedelta(days=3), today - timedelta(days=1)
    end_to_end = f"E2E-{uuid.uuid4().hex[:12]}"
    payment = _paid_from_a_statement(live_engine, invoice, name, paid_on, end_to_end)
    with Session(live_engine) as db:
        assert db.get(Invoice, invoice.id).status == "paid"
    path = tmp_path / "reversal.camt053.xml"
    path.write_bytes(camt053(Entry(-balance, reversed_on, name, reference=invoice.number,
                                   end_to_end_id=end_to_end, reversal=True),
                             statement_id=f"REVERSAL-{end_to_end}"))
    money = format_money(balance, "EUR")

    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/bank/import")
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Drop the statement file here, or click to choose one").click()
    chooser.value.set_files(str(path))
    page.get_by_role("button", name="Upload statement").click()
    expect(page.get_by_role("status")).to_contain_text("1 new")
    page.goto("/bank/review")
    line = page.get_by_role("article").filter(
        has_text=f"The bank reversed {name}'s payment of {money} of "
                 f"{paid_on.day} {paid_on:%b %Y}.")
    expect(line).to_be_visible()
    shot(page, "1-reversal")
    line.get_by_role("button", name="Mark payment returned").dblclick()
    expect(page.get_by_text("Payment marked returned; its invoices are open again.")).to_be_visible()
    expect(line).to_have_count(0)
    page.wait_for_timeout(1500)  # the second click's event has been answered

    with Session(live_engine) as db:
        assert db.get(Payment, payment.id).status == "returned"
        assert db.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "payment.returned",
            AuditLog.entity_id == str(payment.id))).one() == 1
    page.goto(f"/invoices/{invoice.id}")
    expect(page.get_by_label("Balance due")).to_contain_text(money)
    header = page.get_by_role("heading", name=invoice.number).locator("xpath=..")
    expect(header.get_by_text("Paid", exact=True)).to_have_count(0)
    with Session(live_engine) as db:
        reopened = db.get(Invoice, invoice.id)
    assert (reopened.status, reopened.balance_due) == (status, balance)


def _refund_in_dialog(page, path: str, opener: str, *, starts_with: Decimal, amount: str,
                      reason: str) -> None:
    """As an accountant: open the refund dialog, see it offer all that can be refunded, type
    another amount and the reason, and double-click Refund."""
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(path)
    page.get_by_role("button", name=opener).click()
    dialog = page.get_by_role("dialog")
    field = dialog.get_by_label("Amount to refund")
    expect(field).to_have_value(f"{starts_with:.2f}")
    field.fill("")
    field.press_sequentially(amount, delay=90)
    dialog.get_by_label("Reason").press_sequentially(reason, delay=70)
    shot(page, f"dialog-{opener.lower().replace(' ', '-')}")
    dialog.get_by_role("button", name="Refund", exact=True).dblclick()


@pytest.mark.browser
def test_a_partial_refund_typed_in_the_dialog_and_double_clicked_is_made_once(page, live_engine):
    invoice, _ = _open_invoice(live_engine, "120.00")
    with Session(live_engine) as db:
        payment = payment_record(db, actor=SYSTEM_ACTOR, send_receipt=False, data={
            "client_id": invoice.client_id, "payment_date": invoice.issue_date,
            "amount": invoice.balance_due + 10, "reference": f"Refund test {uuid.uuid4().hex[:6]}",
            "allocations": [{"invoice_id": invoice.id, "amount": invoice.balance_due}]},
            today=invoice.issue_date)
        db.commit()
        payment_id, refundable = payment.id, payment.amount

    _refund_in_dialog(page, f"/payments/{payment_id}", "Refund an amount",
                      starts_with=refundable, amount="25.00", reason="Two chairs returned")
    expect(page.get_by_text("Refunded €25.00.")).to_be_visible()
    page.wait_for_timeout(1500)

    with Session(live_engine) as db:
        refunds = db.exec(select(Refund).where(Refund.payment_id == payment_id)).all()
        reopened = db.get(Invoice, invoice.id)
    assert [(r.amount, r.reason) for r in refunds] == [(Decimal("25.00"), "Two chairs returned")]
    assert reopened.balance_due == Decimal("15.00")  # 10.00 unallocated, then 15.00 of it
    facts = page.get_by_text("Refunded", exact=True).locator("xpath=..")
    expect(facts).to_contain_text("€25.00")
    expect(page.get_by_role("button", name="Void payment")).to_have_count(0)  # money went back
    shot(page, "3-refunded")
    expect(page).to_have_url(re.compile(rf"/payments/{payment_id}/?$"))


@pytest.mark.browser
def test_a_crafted_refund_event_from_a_viewer_refunds_nothing(live_app, live_engine):
    invoice, _ = _open_invoice(live_engine, "80.00")
    with Session(live_engine) as db:
        payment = payment_record(db, actor=SYSTEM_ACTOR, send_receipt=False, data={
            "client_id": invoice.client_id, "payment_date": invoice.issue_date, "amount": "80.00"},
            today=invoice.issue_date)
        db.commit()
        payment_id = payment.id
    answers = send_events(live_app.url, session_cookie(live_app.url, "viewer@example.com"),
                          [("load", {}), ("open_refund", {}),
                           ("refund", {"form": {"amount": "5.00", "reason": "Mallory"}})],
                          state=PaymentDetailState, pathname=f"/payments/{payment_id}")
    assert "not allowed" in json.dumps(answers)
    with Session(live_engine) as db:
        assert db.exec(select(Refund).where(Refund.payment_id == payment_id)).all() == []


@pytest.mark.browser
def test_a_client_credit_refund_from_the_client_page_is_made_once(page, live_engine):
    invoice, _ = _open_invoice(live_engine, "10.00")  # a client to use
    with Session(live_engine) as db:
        payment_record(db, actor=SYSTEM_ACTOR, send_receipt=False, data={
            "client_id": invoice.client_id, "payment_date": invoice.issue_date, "amount": "45.00"},
            today=invoice.issue_date)
        db.commit()
        before = client_credit(db, invoice.client_id)["EUR"]

    _refund_in_dialog(page, f"/clients/{invoice.client_id}", "Refund credit",
                      starts_with=before, amount="20.00", reason="Overpaid in November")
    expect(page.get_by_text("Refunded €20.00 of credit.")).to_be_visible()
    page.wait_for_timeout(1500)
    with Session(live_engine) as db:
        made = db.exec(select(Refund).where(Refund.client_id == invoice.client_id,
                                            Refund.reason == "Overpaid in November")).all()
        assert len(made) == 1 and made[0].payment_id is None
        assert client_credit(db, invoice.client_id)["EUR"] == before - 20
