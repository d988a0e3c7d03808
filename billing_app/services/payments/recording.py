"""Recording payments, allocating them, applying client credit, voiding and refunding."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, update
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import format_money, minor_units, quantize_money
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.banking import BankStatementLine, LineStatus
from billing_app.models.base import utcnow
from billing_app.models.clients import Client
from billing_app.models.payments import Payment, PaymentAllocation, PaymentStatus
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.services.audit import audit_record
from billing_app.services.payments.allocation import (
    allocate,
    invoices_for_update,
    oldest_due_first,
    payment_allocations,
    payment_for_update,
    release,
)
from billing_app.services.payments.inputs import AllocationIn, GatewayPaymentIn, PaymentIn
from billing_app.services.payments.receipts import receipt_queue
from billing_app.services.validation import reason_given, validated, validated_item

MAX_REASON = Payment.__table__.c.reversal_reason.type.length


def _audit(session: Session, actor: User, action: str, payment: Payment, details: dict) -> None:
    audit_record(session, actor=actor, action=f"payment.{action}", entity_type="payment",
                 entity_id=payment.id, details=details)


def _allocations_in(allocations: list[AllocationIn] | list[dict] | None) -> list[AllocationIn]:
    return [a if isinstance(a, AllocationIn) else
            validated_item(AllocationIn, a, field="allocations", position=n, label=f"Allocation {n + 1}")
            for n, a in enumerate(allocations or ())]


def _described(allocations) -> list[dict[str, Any]]:
    return [{"invoice_id": a.invoice_id, "amount": str(a.amount)} for a in allocations]


def payment_record(session: Session, *, actor: User, data: PaymentIn | dict,
                   today: date | None = None, send_receipt: bool = True) -> Payment:
    """Record money received from a client and put it on invoices: the allocations given, or
    the oldest due first with auto_allocate. What is not allocated is the client's credit."""
    require(actor, Action.PAYMENTS_WRITE)
    data = data if isinstance(data, PaymentIn) else validated(PaymentIn, data)
    client = session.get(Client, data.client_id)
    if client is None:
        raise ValidationFailed("That client does not exist.", field="client_id")
    currency = data.currency or client.currency
    if data.amount != quantize_money(data.amount, currency):
        raise ValidationFailed(f"Amount: {currency} amounts have at most "
                               f"{minor_units(currency)} decimals.", field="amount")
    gateway = data.gateway_fields() if isinstance(data, GatewayPaymentIn) else {}
    if gateway and session.exec(select(exists().where(
            Payment.gateway_provider == data.gateway_provider,
            Payment.gateway_transaction_id == data.gateway_transaction_id))).one():
        raise Conflict("A payment with this gateway transaction id is already recorded.",
                       field="gateway_transaction_id")
    payment = Payment(
        client_id=client.id, payment_date=data.payment_date, amount=data.amount,
        currency=currency, method=data.method, reference=data.reference, notes=data.notes,
        created_by_id=actor.id, **gateway,
    )
    session.add(payment)
    session.flush()
    today = today or company_today(session)
    plan = oldest_due_first(session, payment) if data.auto_allocate else data.allocations
    rows = allocate(session, actor=actor, payment=payment, allocations=plan, today=today)
    if send_receipt:
        receipt_queue(session, payment=payment, client=client, allocations=rows)
    _audit(session, actor, "record", payment, {
        "client_id": client.id, "amount": str(payment.amount), "currency": currency,
        "method": payment.method, "allocations": _described(rows)})
    return payment


def payment_allocate(session: Session, *, actor: User, payment_id: int,
                     allocations: list[AllocationIn] | list[dict] | None = None,
                     auto: bool = False, today: date | None = None) -> Payment:
    """Put what is still unallocated of a payment (the client's credit) on invoices."""
    require(actor, Action.PAYMENTS_WRITE)
    wanted = _allocations_in(allocations)
    payment = payment_for_update(session, payment_id)
    if not wanted and not auto:
        raise ValidationFailed("Choose the invoices to allocate the payment to.",
                               field="allocations")
    plan = oldest_due_first(session, payment) if auto else wanted
    if not plan:
        raise Conflict("This client has no open invoices in "
                       f"{payment.currency} to allocate the payment to.")
    rows = allocate(session, actor=actor, payment=payment, allocations=plan,
                    today=today or company_today(session))
    _audit(session, actor, "allocate", payment, {"allocations": _described(rows)})
    return payment


def allocation_remove(session: Session, *, actor: User, allocation_id: int,
                      today: date | None = None) -> Payment:
    """Take one allocation off its invoice; the amount goes back to the client's credit."""
    require(actor, Action.PAYMENTS_WRITE)
    allocation = session.get(PaymentAllocation, allocation_id)
    if allocation is None:
        raise NotFound("That allocation does not exist.")
    payment = payment_for_update(session, allocation.payment_id)
    if payment.status != PaymentStatus.COMPLETED:
        raise Conflict(f"This payment is {payment.status}; its allocations can no longer change.")
    release(session, actor=actor, payment=payment, allocations=[allocation],
            today=today or company_today(session), delete=True)
    _audit(session, actor, "unallocate", payment, _described([allocation])[0])
    return payment


def credit_apply(session: Session, *, actor: User, invoice_id: int,
                 amount: Decimal | None = None, today: date | None = None) -> list[PaymentAllocation]:
    """Settle an invoice from the client's credit (unallocated payments in its currency),
    the oldest payment first, up to `amount` or the invoice's balance."""
    require(actor, Action.PAYMENTS_WRITE)
    invoice = invoices_for_update(session, [invoice_id]).get(invoice_id)
    if invoice is None:
        raise NotFound("That invoice does not exist.")
    wanted = invoice.balance_due if amount is None else amount
    if wanted <= 0:
        raise ValidationFailed("The amount to apply must be more than 0.", field="amount")
    if wanted > invoice.balance_due:
        raise ValidationFailed(f"{invoice.number} has only "
                               f"{format_money(invoice.balance_due, invoice.currency)} left to pay.",
                               field="amount")
    payments = session.exec(
        select(Payment).where(Payment.client_id == invoice.client_id,
                              Payment.currency == invoice.currency,
                              Payment.status == PaymentStatus.COMPLETED,
                              Payment.amount_allocated + Payment.amount_refunded < Payment.amount)
        .order_by(Payment.payment_date, Payment.id)
        .with_for_update().execution_options(populate_existing=True)).all()
    rows: list[PaymentAllocation] = []
    today = today or company_today(session)
    for payment in payments:
        if wanted <= 0:
            break
        part = min(wanted, payment.unallocated)
        rows += allocate(session, actor=actor, payment=payment, today=today,
                         allocations=[AllocationIn(invoice_id=invoice.id, amount=part)])
        wanted -= part
        _audit(session, actor, "apply_credit", payment,
               {"invoice_id": invoice.id, "amount": str(part)})
    if not rows:
        raise Conflict(f"The client has no credit in {invoice.currency} to apply.")
    return rows


def _reverse(session: Session, actor: User, payment_id: int, reason: str,
             status: PaymentStatus, today: date | None, details: dict | None = None) -> Payment:
    require(actor, Action.PAYMENTS_WRITE)
    reason = reason_given(reason, limit=MAX_REASON)
    payment = payment_for_update(session, payment_id)
    if payment.status != PaymentStatus.COMPLETED:
        raise Conflict(f"This payment is already {payment.status}.")
    if payment.amount_refunded and status != PaymentStatus.REFUNDED:
        raise Conflict(f"{format_money(payment.amount_refunded, payment.currency)} of this "
                       f"payment was refunded; it can only be refunded, not "
                       f"{'voided' if status == PaymentStatus.VOID else 'marked returned'}.")
    release(session, actor=actor, payment=payment, today=today or company_today(session),
            allocations=payment_allocations(session, payment.id), delete=False)
    payment.status, payment.reversed_at, payment.reversal_reason = status, utcnow(), reason
    session.add(payment)
    if status == PaymentStatus.VOID:  # recorded by mistake: its bank line may be matched again
        session.execute(update(BankStatementLine).where(BankStatementLine.payment_id == payment.id)
                        .values(status=LineStatus.OPEN, payment_id=None))
    session.flush()
    _audit(session, actor, status.value, payment, {"reason": reason, **(details or {})})
    return payment


def payment_void(session: Session, *, actor: User, payment_id: int, reason: str,
                 today: date | None = None) -> Payment:
    """Cancel a payment recorded by mistake: its invoices owe again what it paid."""
    return _reverse(session, actor, payment_id, reason, PaymentStatus.VOID, today)


def payment_refund(session: Session, *, actor: User, payment_id: int, reason: str,
                   today: date | None = None) -> Payment:
    """The money went back to the client (all of it that a partial refund left): its
    invoices owe again what it paid."""
    return _reverse(session, actor, payment_id, reason, PaymentStatus.REFUNDED, today)


def payment_return(session: Session, *, actor: User, payment_id: int, reason: str,
                   today: date | None = None, details: dict | None = None) -> Payment:
    """The bank took the money back (the client's transfer was reversed or returned): its
    invoices owe again what it paid. `details` (the bank line) go into the audit entry."""
    return _reverse(session, actor, payment_id, reason, PaymentStatus.RETURNED, today, details)

