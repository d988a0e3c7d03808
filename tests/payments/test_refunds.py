"""Partial refunds of payments, refunds of client credit, and undoing a refund, on PostgreSQL."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from billing_app.documents import statement_pdf
from billing_app.errors import Conflict, PermissionDenied, ValidationFailed
from billing_app.models import AuditLog, Payment, Refund, RefundPart
from billing_app.queries.payments import client_credit, client_statement
from billing_app.services.payments import (
    payment_record,
    payment_return,
    payment_void,
    refund_credit,
    refund_payment,
    refund_undo,
)
from tests.invoices.conftest import ISSUE_DATE
from tests.support.documents import pdf_text

PAID_ON = ISSUE_DATE + timedelta(days=3)
REFUNDED_ON = ISSUE_DATE + timedelta(days=5)


def pay(db, actor, client, amount, *allocations) -> Payment:
    return payment_record(db, actor=actor, today=PAID_ON, send_receipt=False, data={
        "client_id": client.id, "payment_date": PAID_ON, "amount": amount,
        "allocations": [{"invoice_id": i.id, "amount": a} for i, a in allocations]})


def refund(db, actor, payment, amount, reason="Goods returned") -> Refund:
    return refund_payment(db, actor=actor, payment_id=payment.id, today=REFUNDED_ON,
                          data={"amount": amount, "reason": reason})


def test_a_partial_refund_comes_out_of_the_unallocated_part_first(db, accountant, customer,
                                                                   issued):
    invoice = issued("100.00")
    payment = pay(db, accountant, customer, "150.00", (invoice, "100.00"))
    made = refund(db, accountant, payment, "30.00")
    assert (made.amount, made.payment_id, made.refund_date) == (
        Decimal("30.00"), payment.id, REFUNDED_ON)
    assert (invoice.status, invoice.balance_due) == ("paid", Decimal("0"))
    assert (payment.amount_allocated, payment.amount_refunded, payment.unallocated) == (
        Decimal("100.00"), Decimal("30.00"), Decimal("20.00"))
    assert client_credit(db, customer.id) == {"EUR": Decimal("20.00")}


def test_a_refund_beyond_the_unallocated_part_reopens_the_newest_allocation(
        db, accountant, customer, issued):
    older, newer = issued("100.00"), issued("50.00")
    payment = pay(db, accountant, customer, "160.00", (older, "100.00"), (newer, "50.00"))
    refund(db, accountant, payment, "40.00")  # 10.00 unallocated, then 30.00 of `newer`
    assert (older.status, older.balance_due) == ("paid", Decimal("0"))
    assert (newer.status, newer.balance_due) == ("partially_paid", Decimal("30.00"))
    assert (payment.amount_allocated, payment.unallocated) == (Decimal("120.00"), Decimal("0"))
    entry = db.exec(select(AuditLog).where(AuditLog.action == "refund.create")
                    .order_by(AuditLog.id.desc())).first()
    assert entry.details["taken_from_invoices"] == [{"invoice_id": newer.id, "amount": "30.00"}]


def test_refunding_more_than_is_left_of_a_payment_is_refused_and_nothing_is_written(
        db, accountant, customer, issued):
    payment = pay(db, accountant, customer, "100.00", (issued("100.00"), "100.00"))
    refund(db, accountant, payment, "60.00")
    with pytest.raises(ValidationFailed, match=r"at most €40\.00 of this payment") as refused:
        refund(db, accountant, payment, "40.01")
    assert refused.value.field == "amount"
    assert payment.amount_refunded == Decimal("60.00")
    assert len(db.exec(select(Refund).where(Refund.payment_id == payment.id)).all()) == 1


def test_a_refund_needs_a_reason_and_the_right_to_record_payments(db, accountant, viewer,
                                                                   customer):
    payment = pay(db, accountant, customer, "50.00")
    with pytest.raises(ValidationFailed) as refused:
        refund(db, accountant, payment, "10.00", reason=" ")
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDenied):
        refund(db, viewer, payment, "10.00")


def test_a_partly_refunded_payment_cannot_be_voided(db, accountant, customer):
    payment = pay(db, accountant, customer, "50.00")
    refund(db, accountant, payment, "10.00")
    with pytest.raises(Conflict, match="refunded"):
        payment_void(db, actor=accountant, payment_id=payment.id, reason="Mistake")


def test_a_credit_refund_takes_the_oldest_credit_first_and_leaves_invoices_alone(
        db, accountant, customer, issued):
    invoice = issued("100.00")
    first = pay(db, accountant, customer, "130.00", (invoice, "100.00"))  # 30.00 credit
    second = pay(db, accountant, customer, "25.00")  # 25.00 credit
    made = refund_credit(db, actor=accountant, client_id=customer.id, today=REFUNDED_ON,
                         data={"amount": "40.00", "reason": "Overpaid"})
    assert made.payment_id is None and made.currency == "EUR"
    parts = {p.payment_id: p.amount for p in db.exec(
        select(RefundPart).where(RefundPart.refund_id == made.id))}
    assert parts == {first.id: Decimal("30.00"), second.id: Decimal("10.00")}
    assert client_credit(db, customer.id) == {"EUR": Decimal("15.00")}
    assert (invoice.status, invoice.balance_due) == ("paid", Decimal("0"))


def test_a_credit_refund_beyond_the_credit_is_refused_plainly(db, accountant, customer):
    with pytest.raises(Conflict, match="has no credit in EUR"):
        refund_credit(db, actor=accountant, client_id=customer.id,
                      data={"amount": "1.00", "reason": "Overpaid"})
    pay(db, accountant, customer, "25.00")
    with pytest.raises(ValidationFailed, match=r"at most €25\.00 of the client's credit"):
        refund_credit(db, actor=accountant, client_id=customer.id,
                      data={"amount": "25.01", "reason": "Overpaid"})
    assert client_credit(db, customer.id) == {"EUR": Decimal("25.00")}


def test_undoing_a_refund_gives_the_client_its_credit_back_once(db, accountant, customer,
                                                                 issued):
    invoice = issued("100.00")
    payment = pay(db, accountant, customer, "100.00", (invoice, "100.00"))
    made = refund(db, accountant, payment, "40.00")
    assert invoice.balance_due == Decimal("40.00")
    refund_undo(db, actor=accountant, refund_id=made.id, reason="The bank returned it")
    assert made.status == "reversed" and payment.amount_refunded == 0
    assert client_credit(db, customer.id) == {"EUR": Decimal("40.00")}
    assert invoice.balance_due == Decimal("40.00")  # reopened; the credit can settle it
    with pytest.raises(Conflict, match="already undone"):
        refund_undo(db, actor=accountant, refund_id=made.id, reason="Again")


def test_the_statement_shows_refunds_and_leaves_out_those_that_came_back(
        db, accountant, customer, issued):
    invoice = issued("100.00")
    payment = pay(db, accountant, customer, "120.00", (invoice, "100.00"))
    kept = refund(db, accountant, payment, "15.00", reason="Discount agreed")
    undone = refund_credit(db, actor=accountant, client_id=customer.id, today=REFUNDED_ON,
                           data={"amount": "5.00", "reason": "Overpaid"})
    refund_undo(db, actor=accountant, refund_id=undone.id, reason="Came back")
    statement = client_statement(db, actor=accountant, client_id=customer.id)
    rows = [(e.kind, e.debit, e.credit) for e in statement.entries]
    assert rows == [("invoice", Decimal("100.00"), 0), ("payment", 0, Decimal("120.00")),
                    ("refund", Decimal("15.00"), 0)]
    assert statement.entries[-1].document == f"Refund {kept.id}: Discount agreed"
    assert statement.closing_balance == Decimal("-5.00")  # the client's credit


def test_the_statement_pdf_shows_refunds_and_payments_the_bank_returned(
        db, company, accountant, customer, issued):
    invoice = issued("100.00")
    kept = pay(db, accountant, customer, "100.00", (invoice, "100.00"))
    made = refund(db, accountant, kept, "12.50", reason="Late delivery")
    returned = pay(db, accountant, customer, "30.00")
    payment_return(db, actor=accountant, payment_id=returned.id, reason="Reversed by the bank")
    text = pdf_text(statement_pdf(db, actor=accountant, client_id=customer.id,
                                  date_from=date(2000, 1, 1), date_to=date(2099, 12, 31)).content)
    assert f"Refund Refund {made.id}: Late delivery €12.50" in text
    assert f"Returned by the bank Payment {returned.id} €30.00" in text
    assert f"Payment {returned.id} €30.00" in text
