"""Whatever accountants do, in whatever order, the books balance.

Random sequences of payments (allocated by hand or oldest first), credit applied, allocations
removed, voids, refunds and credit notes run against real PostgreSQL; after every sequence:
- each invoice's balance = total + late fees - credit notes - allocations of completed
  payments >= 0, and its status is the one that balance gives;
- each payment's allocations add up to its allocated amount, never more than the payment;
- a client's credit is exactly what its completed payments did not allocate.
Refused operations (a BillingError) roll back to a savepoint, as the edge would roll back.
"""

from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import delete, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.domain.invoice_status import status_for_balance
from billing_app.errors import BillingError
from billing_app.models import (
    CreditNote,
    Invoice,
    InvoiceFee,
    Payment,
    PaymentAllocation,
    PaymentStatus,
    ReminderLevel,
)
from billing_app.queries.payments import client_credit
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.payments import (
    allocation_remove,
    credit_apply,
    credit_note_issue,
    payment_record,
    payment_refund,
    payment_void,
)
from billing_app.services.reminders import reminder_level_create, reminder_send
from tests.invoices.conftest import ISSUE_DATE, draft, line
from tests.support.factories import make_client

TODAY = ISSUE_DATE + timedelta(days=5)
PRICES = ("100.00", "45.50", "19.99")
FEE_LEVELS = {-28: ("fixed", "3.00"), -25: ("percent", "5")}
"""Reminder levels with fees, both reached by TODAY (before the due dates, so the status the
balance gives does not depend on which day the fee was charged)."""

cents = st.integers(min_value=1, max_value=15000).map(lambda c: Decimal(c) / 100)
invoice_index = st.integers(min_value=0, max_value=len(PRICES) - 1)
operations = st.lists(st.one_of(
    st.tuples(st.just("pay"), cents, st.lists(st.tuples(invoice_index, cents), max_size=3)),
    st.tuples(st.just("pay_auto"), cents),
    st.tuples(st.just("apply_credit"), invoice_index),
    st.tuples(st.just("credit_note"), invoice_index, cents),
    st.tuples(st.just("void"), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("refund"), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("unallocate"), st.integers(min_value=0, max_value=10)),
    st.tuples(st.just("late_fee"), invoice_index, st.sampled_from(sorted(FEE_LEVELS))),
), min_size=1, max_size=12)


def _apply(db, actor, client, invoices, operation) -> None:
    kind, *args = operation
    payments = db.exec(select(Payment.id).where(Payment.client_id == client.id)
                       .order_by(Payment.id)).all()
    if kind in ("pay", "pay_auto"):
        allocations = {invoices[i].id: amount for i, amount in (args[1] if kind == "pay" else ())}
        payment_record(db, actor=actor, today=TODAY, send_receipt=False, data={
            "client_id": client.id, "payment_date": TODAY, "amount": args[0],
            "auto_allocate": kind == "pay_auto",
            "allocations": [{"invoice_id": i, "amount": a} for i, a in allocations.items()]})
    elif kind == "apply_credit":
        credit_apply(db, actor=actor, invoice_id=invoices[args[0]].id, today=TODAY)
    elif kind == "credit_note":
        credit_note_issue(db, actor=actor, invoice_id=invoices[args[0]].id, today=TODAY,
                          data={"amount": args[1], "reason": "Property test"})
    elif kind in ("void", "refund") and payments:
        reverse = payment_void if kind == "void" else payment_refund
        reverse(db, actor=actor, payment_id=payments[args[0] % len(payments)], reason="Test",
                today=TODAY)
    elif kind == "unallocate":
        allocation_ids = db.exec(select(PaymentAllocation.id).join(Payment).where(
            Payment.client_id == client.id, Payment.status == PaymentStatus.COMPLETED)
            .order_by(PaymentAllocation.id)).all()
        if allocation_ids:
            allocation_remove(db, actor=actor, today=TODAY,
                              allocation_id=allocation_ids[args[0] % len(allocation_ids)])
    elif kind == "late_fee":
        invoice = invoices[args[0]]
        reminder_send(db, invoice_id=invoice.id, today=invoice.due_date + timedelta(days=args[1]))


def _check_books(db, client, invoice_ids) -> None:
    db.expire_all()
    for invoice in db.exec(select(Invoice).where(Invoice.id.in_(invoice_ids))).all():
        allocated = db.exec(select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
                            .join(Payment).where(PaymentAllocation.invoice_id == invoice.id,
                                                 Payment.status == PaymentStatus.COMPLETED)).one()
        credited = db.exec(select(func.coalesce(func.sum(CreditNote.total), 0))
                           .where(CreditNote.invoice_id == invoice.id)).one()
        fees = db.exec(select(func.coalesce(func.sum(InvoiceFee.amount), 0))
                       .where(InvoiceFee.invoice_id == invoice.id)).one()
        assert invoice.amount_paid == allocated
        assert invoice.amount_credited == credited
        assert invoice.fees_total == fees
        assert invoice.balance_due == invoice.total + fees - credited - allocated >= 0
        assert invoice.status == status_for_balance(invoice.total + fees, allocated, credited,
                                                    invoice.due_date, TODAY,
                                                    delivered=invoice.sent_at is not None)
    unallocated = Decimal(0)
    for payment in db.exec(select(Payment).where(Payment.client_id == client.id)).all():
        allocations = db.exec(select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
                              .where(PaymentAllocation.payment_id == payment.id)).one()
        assert allocations == payment.amount_allocated <= payment.amount
        if payment.status == PaymentStatus.COMPLETED:
            unallocated += payment.amount - payment.amount_allocated
    assert client_credit(db, client.id).get("EUR", Decimal(0)) == unallocated


def _fee_schedule(db) -> None:
    db.exec(delete(ReminderLevel))
    for days, (fee_kind, fee_value) in FEE_LEVELS.items():
        reminder_level_create(db, actor=SYSTEM_ACTOR, data={
            "days": days, "name": f"Fee at {days}", "fee_kind": fee_kind, "fee_value": fee_value})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=operations)
def test_books_balance_after_any_sequence_of_operations(db, company, accountant, operations):
    savepoint = db.begin_nested()
    _fee_schedule(db)
    client = make_client(db)
    invoices = []
    for price in PRICES:
        made = invoice_create_draft(db, actor=accountant, data=draft(
            client, line(unit_price=price), issue_date=ISSUE_DATE))
        invoices.append(invoice_issue(db, actor=accountant, invoice_id=made.id, today=ISSUE_DATE))
    invoice_ids = [invoice.id for invoice in invoices]
    for operation in operations:
        step = db.begin_nested()
        try:
            _apply(db, accountant, client, invoices, operation)
            step.commit()
            event(f"{operation[0]} done")
        except BillingError:
            step.rollback()
            event(f"{operation[0]} refused")
        invoices = [db.get(Invoice, invoice_id) for invoice_id in invoice_ids]
    _check_books(db, client, invoice_ids)
    savepoint.rollback()
