"""Whatever accountants do, in whatever order, the books balance.

Random sequences of payments (allocated by hand or oldest first), credit applied, allocations
removed, voids, refunds (whole, partial, of client credit, and undone when the bank sends
the money back) and credit notes (amounts, or by line: part quantities of 19 % and 7 %
lines) run against real PostgreSQL; after every sequence:
- each invoice's balance = total + late fees - credit notes - allocations of completed
  payments >= 0, and its status is the one that balance gives;
- each payment's allocations add up to its allocated amount, its refund parts (of refunds not
  undone) to its refunded amount, and the two together are never more than the payment;
- a client's credit is exactly what its completed payments neither allocated nor refunded;
- no invoice line is credited by line beyond its quantity, a credit note by line's taxes per
  rate add up to its tax, and when every line is credited in full the invoice is credited in full.
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
    CreditNoteLine,
    CreditNoteTax,
    Invoice,
    InvoiceLine,
    InvoiceFee,
    Payment,
    PaymentAllocation,
    PaymentStatus,
    Refund,
    RefundPart,
    RefundStatus,
    ReminderLevel,
)
from billing_app.queries.credit_notes import creditable_lines
from billing_app.queries.invoices import invoice_detail
from billing_app.queries.payments import client_credit
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.payments import (
    allocation_remove,
    credit_apply,
    credit_note_issue,
    payment_record,
    payment_refund,
    payment_void,
    refund_credit,
    refund_payment,
    refund_undo,
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
line_quantities = st.lists(st.tuples(st.integers(min_value=0, max_value=1),
                                     st.sampled_from(["0.5", "1", "1.25", "2", "3"])),
                           min_size=1, max_size=2)
operations = st.lists(st.one_of(
    st.tuples(st.just("pay"), cents, st.lists(st.tuples(invoice_index, cents), max_size=3)),
    st.tuples(st.just("pay_auto"), cents),
    st.tuples(st.just("apply_credit"), invoice_index),
    st.tuples(st.just("credit_note"), invoice_index, cents),
    st.tuples(st.just("credit_lines"), invoice_index, line_quantities),
    st.tuples(st.just("void"), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("refund"), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("refund_part"), st.integers(min_value=0, max_value=5), cents),
    st.tuples(st.just("refund_credit"), st.sampled_from(["0.01", "0.5", "1", "1.01"])),
    st.tuples(st.just("undo_refund"), st.integers(min_value=0, max_value=5)),
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
    elif kind == "credit_lines":
        line_ids = db.exec(select(InvoiceLine.id).where(InvoiceLine.invoice_id == invoices[args[0]].id)
                           .order_by(InvoiceLine.position)).all()
        credit_note_issue(db, actor=actor, invoice_id=invoices[args[0]].id, today=TODAY, data={
            "reason": "Property test", "lines": [{"invoice_line_id": line_ids[i], "quantity": q}
                                                 for i, q in args[1]]})
    elif kind in ("void", "refund") and payments:
        reverse = payment_void if kind == "void" else payment_refund
        reverse(db, actor=actor, payment_id=payments[args[0] % len(payments)], reason="Test",
                today=TODAY)
    elif kind == "refund_part" and payments:
        refund_payment(db, actor=actor, payment_id=payments[args[0] % len(payments)],
                       today=TODAY, data={"amount": args[1], "reason": "Test"})
    elif kind == "refund_credit":  # a share of the client's credit (more than all is refused)
        credit = client_credit(db, client.id).get("EUR", Decimal(0))
        refund_credit(db, actor=actor, client_id=client.id, today=TODAY, data={
            "amount": max(Decimal("0.01"), (credit * Decimal(args[0])).quantize(Decimal("0.01"))),
            "reason": "Test"})
    elif kind == "undo_refund":
        refunds = db.exec(select(Refund.id).where(Refund.client_id == client.id)
                          .order_by(Refund.id)).all()
        if refunds:
            refund_undo(db, actor=actor, refund_id=refunds[args[0] % len(refunds)],
                        reason="Came back")
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
        _check_line_credits(db, invoice)
    unallocated = Decimal(0)
    for payment in db.exec(select(Payment).where(Payment.client_id == client.id)).all():
        allocations = db.exec(select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
                              .where(PaymentAllocation.payment_id == payment.id)).one()
        refunded = db.exec(select(func.coalesce(func.sum(RefundPart.amount), 0)).join(Refund)
                           .where(RefundPart.payment_id == payment.id,
                                  Refund.status == RefundStatus.COMPLETED)).one()
        assert allocations == payment.amount_allocated
        assert refunded == payment.amount_refunded
        assert payment.amount_allocated + payment.amount_refunded <= payment.amount
        if payment.status == PaymentStatus.COMPLETED:
            unallocated += payment.amount - payment.amount_allocated - payment.amount_refunded
    assert client_credit(db, client.id).get("EUR", Decimal(0)) == unallocated


def _check_line_credits(db, invoice) -> None:
    lines = db.exec(select(InvoiceLine.quantity, func.coalesce(func.sum(CreditNoteLine.quantity), 0))
                    .outerjoin(CreditNoteLine, CreditNoteLine.invoice_line_id == InvoiceLine.id)
                    .where(InvoiceLine.invoice_id == invoice.id).group_by(InvoiceLine.id)).all()
    assert all(credited <= quantity for quantity, credited in lines)
    for note in db.exec(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).all():
        taxes = db.exec(select(CreditNoteTax).where(CreditNoteTax.credit_note_id == note.id)).all()
        assert note.subtotal + note.tax_total == note.total
        assert not taxes or sum(tax.amount for tax in taxes) == note.tax_total
    if all(credited == quantity for quantity, credited in lines):
        assert invoice.amount_credited == invoice.total


def _two_rate_invoice(db, accountant, client, rates, price: str) -> Invoice:
    made = invoice_create_draft(db, actor=accountant, data=draft(
        client, line(quantity="3", unit_price=price, tax_rate_ids=[rates.standard.id]),
        line("Parts", quantity="2", unit_price="7.49", tax_rate_ids=[rates.reduced.id]),
        issue_date=ISSUE_DATE))
    return invoice_issue(db, actor=accountant, invoice_id=made.id, today=ISSUE_DATE)


def _fee_schedule(db) -> None:
    db.exec(delete(ReminderLevel))
    for days, (fee_kind, fee_value) in FEE_LEVELS.items():
        reminder_level_create(db, actor=SYSTEM_ACTOR, data={
            "days": days, "name": f"Fee at {days}", "fee_kind": fee_kind, "fee_value": fee_value})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=operations)
def test_books_balance_after_any_sequence_of_operations(db, company, accountant, rates,
                                                        operations):
    savepoint = db.begin_nested()
    _fee_schedule(db)
    client = make_client(db)
    invoices = [_two_rate_invoice(db, accountant, client, rates, price) for price in PRICES]
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


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(runs=st.lists(line_quantities, min_size=1, max_size=6), price=st.sampled_from(PRICES))
def test_credit_notes_by_line_never_credit_a_line_twice_and_the_rest_settles_the_invoice(
        db, company, accountant, rates, runs, price):
    """Line credit notes in any order, then one for all that is left: no line is credited beyond
    its quantity, and the notes add up to the invoice, per rate too, to the cent."""
    savepoint = db.begin_nested()
    client = make_client(db)
    invoice = _two_rate_invoice(db, accountant, client, rates, price)
    for quantities in runs:
        step = db.begin_nested()
        try:
            _apply(db, accountant, client, [invoice], ("credit_lines", 0, quantities))
            step.commit()
        except BillingError:
            step.rollback()
    rest = [(i, str(item.remaining)) for i, item in enumerate(creditable_lines(db, invoice.id))
            if item.remaining]
    if rest:
        _apply(db, accountant, client, [invoice], ("credit_lines", 0, rest))
    _check_books(db, client, [invoice.id])
    assert (invoice.amount_credited, invoice.balance_due) == (invoice.total, 0)
    credited = db.exec(select(CreditNoteTax.rate, func.sum(CreditNoteTax.amount)).join(CreditNote)
                       .where(CreditNote.invoice_id == invoice.id).group_by(CreditNoteTax.rate)).all()
    invoiced = invoice_detail(db, actor=accountant, invoice_id=invoice.id).taxes
    assert dict(credited) == {tax.rate: tax.amount for tax in invoiced}
    savepoint.rollback()
