"""Late fees: charged once per level, and counted everywhere a balance is."""

import re
from datetime import timedelta
from decimal import Decimal

from sqlmodel import select

from billing_app.documents.account import statement_pdf
from billing_app.documents.invoice import invoice_pdf
from billing_app.domain.invoice_status import OVERDUE, PAID
from billing_app.models.reminders import InvoiceFee
from billing_app.queries.clients import client_figures, client_outstanding
from billing_app.queries.invoices import invoice_detail
from billing_app.queries.payments import client_statement
from billing_app.queries.reminders import invoice_reminders, reminders_due
from billing_app.services.payments import credit_note_issue, payment_record
from billing_app.services.reminders import reminder_send
from tests.reminders.conftest import DUE, emails_of
from tests.support.documents import pdf_text


def test_fixed_fee_is_charged_once_and_counts_in_every_balance(db, levels, issued, accountant):
    invoice = issued("100.00")
    today = DUE + timedelta(days=14)
    email = reminder_send(db, invoice_id=invoice.id, today=today)
    assert reminder_send(db, invoice_id=invoice.id, today=today) is None

    fees = db.exec(select(InvoiceFee).where(InvoiceFee.invoice_id == invoice.id)).all()
    assert [(fee.amount, fee.charged_on) for fee in fees] == [(Decimal("5.00"), today)]
    db.refresh(invoice)
    assert (invoice.total, invoice.fees_total, invoice.balance_due) == (
        Decimal("100.00"), Decimal("5.00"), Decimal("105.00"))
    assert "€5.00" in email.body_text and "€105.00" in email.body_text

    detail = invoice_detail(db, actor=accountant, invoice_id=invoice.id)
    assert (detail.totals.total, detail.totals.fees, detail.totals.amount_due) == (
        Decimal("100.00"), Decimal("5.00"), Decimal("105.00"))
    assert [fee.description for fee in detail.fees] == ["Late fee: Second"]
    assert client_outstanding(db, invoice.client_id)["EUR"] == Decimal("105.00")
    assert client_figures(db, invoice.client_id, today=today).overdue == Decimal("105.00")
    statement = client_statement(db, actor=accountant, client_id=invoice.client_id)
    assert [(e.kind, e.debit, e.balance) for e in statement.entries] == [
        ("invoice", Decimal("100.00"), Decimal("100.00")),
        ("fee", Decimal("5.00"), Decimal("105.00"))]
    view = invoice_reminders(db, actor=accountant, invoice_id=invoice.id, today=today)
    assert [(row.level_name, row.fee) for row in view.sent] == [("Second", Decimal("5.0000"))]
    printed = pdf_text(invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content)
    assert re.search(r"Late fees\s*€5\.00", printed) and re.search(r"€105\.00", printed)
    statement = pdf_text(statement_pdf(db, actor=accountant, client_id=invoice.client_id,
                                       date_from=DUE - timedelta(days=60), date_to=today).content)
    assert re.search(rf"Late fee\s*{invoice.number}: Late fee: Second\s*€5\.00", statement)

    # paying the total alone leaves the fee open; paying the fee too settles the invoice
    payment_record(db, actor=accountant, today=today, send_receipt=False, data={
        "client_id": invoice.client_id, "payment_date": today, "amount": "100.00",
        "allocations": [{"invoice_id": invoice.id, "amount": "100.00"}]})
    db.refresh(invoice)
    assert (invoice.balance_due, invoice.status) == (Decimal("5.00"), OVERDUE)
    payment_record(db, actor=accountant, today=today, send_receipt=False, data={
        "client_id": invoice.client_id, "payment_date": today, "amount": "5.00",
        "auto_allocate": True})
    db.refresh(invoice)
    assert (invoice.balance_due, invoice.status) == (Decimal("0.00"), PAID)


def test_percent_fee_is_of_the_amount_due(db, levels, issued, accountant):
    invoice = issued("200.00")
    payment_record(db, actor=accountant, today=DUE, send_receipt=False, data={
        "client_id": invoice.client_id, "payment_date": DUE, "amount": "50.00",
        "allocations": [{"invoice_id": invoice.id, "amount": "50.00"}]})
    today = DUE + timedelta(days=31)  # the final level: 2% of the 150.00 still due

    reminder_send(db, invoice_id=invoice.id, today=today)
    reminder_send(db, invoice_id=invoice.id, today=today + timedelta(days=1))

    db.refresh(invoice)
    assert (invoice.fees_total, invoice.balance_due) == (Decimal("3.00"), Decimal("153.00"))
    assert len(emails_of(db, invoice.id)) == 1


def test_fully_credited_invoice_with_its_fee_open_gets_no_more_reminders(db, levels, issued,
                                                                          accountant):
    invoice = issued("100.00")
    reminder_send(db, invoice_id=invoice.id, today=DUE + timedelta(days=14))
    credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=DUE + timedelta(days=15),
                      data={"amount": "100.00", "reason": "Returned"})
    db.refresh(invoice)

    assert invoice.balance_due == Decimal("5.00")  # the fee is still owed
    assert [i for i, _ in reminders_due(db, today=DUE + timedelta(days=40))
            if i == invoice.id] == []
