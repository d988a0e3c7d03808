"""An accountant credits part of an invoice by line from the invoice page: types quantities
(a too large one is refused next to its line), sees the totals per tax rate as they type, and a
double click on "Create credit note" makes one credit note that lowers the balance."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.demo.catalog import REDUCED, STANDARD
from billing_app.models.invoices import CreditNote, CreditNoteLine, Invoice
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from tests.browser.conftest import sign_in
from tests.browser.test_invoice_editor import a_client

pytestmark = pytest.mark.browser


def mixed_rate_invoice(engine) -> Invoice:
    """3 x 33.33 and 1 x 10.00 at 19 %, 2 x 12.99 at 7 %: €158.69, issued today."""
    client = a_client(engine)
    with Session(engine) as db:
        today = company_today(db)
        actor = db.exec(select(User).where(User.email == "accountant@example.com")).one()
        lines = [("Design hours", "3", "33.33", STANDARD), ("Printed guides", "2", "12.99", REDUCED),
                 ("Setup", "1", "10.00", STANDARD)]
        made = invoice_create_draft(db, actor=actor, data={
            "client_id": client.id, "issue_date": today, "currency": "EUR", "lines": [
                {"description": d, "quantity": q, "unit_price": p, "tax_rate_ids": [rate]}
                for d, q, p, rate in lines]})
        invoice = invoice_issue(db, actor=actor, invoice_id=made.id, today=today)
        db.commit()
        db.refresh(invoice)
        return invoice


def test_a_credit_note_by_line_is_made_once_and_lowers_the_balance(page, live_engine):
    invoice = mixed_rate_invoice(live_engine)
    assert invoice.total == Decimal("158.69")
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/invoices/{invoice.id}")
    expect(page.get_by_label("Balance due")).to_contain_text("€158.69")

    page.get_by_role("button", name="Issue credit note").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name="Credit by line").click()
    table = dialog.get_by_role("table")
    for header in ["Description", "Quantity invoiced", "Already credited", "Quantity to credit"]:
        expect(table.get_by_role("columnheader", name=header)).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Printed guides")).to_contain_text("2")

    setup = dialog.get_by_label("Quantity to credit, Setup")
    setup.press_sequentially("3", delay=90)
    expect(dialog.get_by_role("alert").filter(has_text="at most 1 of “Setup”")).to_be_visible()
    setup.press("Backspace")
    expect(dialog.get_by_role("alert")).to_have_count(0)

    dialog.get_by_label("Quantity to credit, Design hours").press_sequentially("1", delay=70)
    dialog.get_by_label("Quantity to credit, Printed guides").press_sequentially("1.5", delay=110)
    totals = dialog.get_by_label("Credit note totals")
    for shown in ["€52.82", "Tax 19% on €33.33", "€6.33", "Tax 7% on €19.49", "€1.36", "€60.51"]:
        expect(totals).to_contain_text(shown)
    dialog.get_by_label("Reason").press_sequentially("Guides returned", delay=60)
    dialog.get_by_role("button", name="Create credit note").dblclick()

    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_label("Balance due")).to_contain_text("€98.18")
    page.wait_for_timeout(1500)  # the second click's event has been answered
    with Session(live_engine) as db:
        notes = db.exec(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).all()
        assert [note.total for note in notes] == [Decimal("60.51")]
        lines = db.exec(select(CreditNoteLine.description, CreditNoteLine.quantity)
                        .where(CreditNoteLine.credit_note_id == notes[0].id)
                        .order_by(CreditNoteLine.position)).all()
        assert lines == [("Design hours", Decimal("1")), ("Printed guides", Decimal("1.5"))]
        assert db.get(Invoice, invoice.id).balance_due == Decimal("98.18")
    credit_notes = page.get_by_role("table").filter(has_text="Reason")
    expect(credit_notes).to_contain_text(notes[0].number)
    expect(credit_notes).to_contain_text("€60.51")
