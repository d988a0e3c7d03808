"""Refunds: money given back to a client, part of one payment or the client's credit.

Each refund is a record of its own (`refunds`) with the payments it came out of
(`refund_parts`, summed in each payment's amount_refunded), so for every payment
allocated + refunded <= amount, and what neither took is the client's credit.

- A refund of a payment (partial, or all that is left of it) comes first out of the
  payment's unallocated part; when it is larger, the rest is taken back from the payment's
  allocations, the newest first, and those invoices owe that part again.
- A refund of credit takes the client's unallocated money in the currency, the oldest
  payment first (as credit_apply uses it); it never touches an invoice.
- Undoing a refund (the bank sent the money back) takes the parts back off the payments'
  amount_refunded: the money is the client's credit again. Invoices that the refund reopened
  stay open; applying the credit settles them.
"""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import format_money, minor_units, quantize_money
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.base import utcnow
from billing_app.models.clients import Client
from billing_app.models.inputs import CurrencyCode, optional, text
from billing_app.models.payments import (
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundPart,
    RefundStatus,
)
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.services.audit import audit_record
from billing_app.services.invoices.lifecycle import invoice_refresh_balance
from billing_app.services.payments.allocation import invoices_for_update, payment_for_update
from billing_app.services.payments.inputs import Amount
from billing_app.services.validation import reason_given, validated

MAX_REASON = Refund.__table__.c.reason.type.length


class RefundIn(BaseModel):
    """A refund of a payment; with currency, of the client's credit in that currency."""

    model_config = ConfigDict(extra="forbid")

    amount: Amount
    reason: text(500)
    refund_date: date | None = None  # today when left out
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    currency: optional(CurrencyCode) = None  # credit refunds: the client's currency when left out


def _checked_amount(amount: Decimal, currency: str, refundable: Decimal, what: str) -> None:
    if amount != quantize_money(amount, currency):
        raise ValidationFailed(f"Amount: {currency} amounts have at most "
                               f"{minor_units(currency)} decimals.", field="amount")
    if amount > refundable:
        raise ValidationFailed(f"Amount: at most {format_money(refundable, currency)} {what} "
                               "can be refunded.", field="amount")


def _take_back_allocations(session: Session, actor: User, payment: Payment, amount: Decimal,
                           today: date) -> list[dict]:
    """Take `amount` off the payment's allocations, the newest first; returns what was taken
    from which invoice."""
    allocations = session.exec(select(PaymentAllocation)
                               .where(PaymentAllocation.payment_id == payment.id)
                               .order_by(PaymentAllocation.id.desc())).all()
    invoices = invoices_for_update(session, (a.invoice_id for a in allocations))
    taken = []
    for allocation in allocations:
        if amount <= 0:
            break
        part = min(amount, allocation.amount)
        invoice = invoices[allocation.invoice_id]
        invoice.amount_paid -= part
        invoice_refresh_balance(session, actor=actor, invoice=invoice, today=today)
        payment.amount_allocated -= part
        allocation.amount -= part
        if allocation.amount:
            session.add(allocation)
        else:
            session.delete(allocation)
        taken.append({"invoice_id": invoice.id,
                      "amount": str(quantize_money(part, payment.currency))})
        amount -= part
    return taken


def _refund_write(session: Session, actor: User, *, client_id: int, payment_id: int | None,
                  data: RefundIn, currency: str, parts: list[tuple[Payment, Decimal]],
                  today: date, details: dict) -> Refund:
    refund = Refund(client_id=client_id, payment_id=payment_id, amount=data.amount,
                    currency=currency, refund_date=data.refund_date or today, method=data.method,
                    reason=reason_given(data.reason, limit=MAX_REASON), created_by_id=actor.id)
    session.add(refund)
    session.flush()
    for payment, part in parts:
        payment.amount_refunded += part
        session.add_all([payment, RefundPart(refund_id=refund.id, payment_id=payment.id,
                                             amount=part)])
    session.flush()
    audit_record(session, actor=actor, action="refund.create", entity_type="refund",
                 entity_id=refund.id, details={
                     "client_id": client_id, "payment_id": payment_id,
                     "amount": str(refund.amount), "currency": currency,
                     "parts": [{"payment_id": p.id, "amount": str(quantize_money(a, currency))}
                               for p, a in parts],
                     **details})
    return refund


def refund_payment(session: Session, *, actor: User, payment_id: int, data: RefundIn | dict,
                   today: date | None = None) -> Refund:
    """Give back part or all of what is left of a completed payment: first its unallocated
    part, then its allocations, the newest first (those invoices owe that part again)."""
    require(actor, Action.PAYMENTS_WRITE)
    data = data if isinstance(data, RefundIn) else validated(RefundIn, data)
    today = today or company_today(session)
    payment = payment_for_update(session, payment_id)
    if payment.status != PaymentStatus.COMPLETED:
        raise Conflict(f"This payment is {payment.status}; it cannot be refunded.")
    if data.currency not in (None, payment.currency):
        raise ValidationFailed(f"This payment is in {payment.currency}; its refund is too.",
                               field="currency")
    _checked_amount(data.amount, payment.currency, payment.refundable, "of this payment")
    from_allocations = max(data.amount - payment.unallocated, Decimal(0))
    reopened = (_take_back_allocations(session, actor, payment, from_allocations, today)
                if from_allocations else [])
    return _refund_write(session, actor, client_id=payment.client_id, payment_id=payment.id,
                         data=data, currency=payment.currency,
                         parts=[(payment, data.amount)], today=today,
                         details={"taken_from_invoices": reopened})


def refund_credit(session: Session, *, actor: User, client_id: int, data: RefundIn | dict,
                  today: date | None = None) -> Refund:
    """Give the client back (part of) its credit in a currency: the unallocated money of its
    completed payments, the oldest payment first. Invoices are not touched."""
    require(actor, Action.PAYMENTS_WRITE)
    data = data if isinstance(data, RefundIn) else validated(RefundIn, data)
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("That client does not exist.")
    currency = data.currency or client.currency
    payments = session.exec(
        select(Payment).where(Payment.client_id == client.id, Payment.currency == currency,
                              Payment.status == PaymentStatus.COMPLETED,
                              Payment.amount_allocated + Payment.amount_refunded < Payment.amount)
        .order_by(Payment.payment_date, Payment.id)
        .with_for_update().execution_options(populate_existing=True)).all()
    credit = sum((payment.unallocated for payment in payments), Decimal(0))
    if not credit:
        raise Conflict(f"{client.name} has no credit in {currency} to refund.")
    _checked_amount(data.amount, currency, credit, "of the client's credit")
    parts, wanted = [], data.amount
    for payment in payments:
        if wanted <= 0:
            break
        part = min(wanted, payment.unallocated)
        parts.append((payment, part))
        wanted -= part
    return _refund_write(session, actor, client_id=client.id, payment_id=None, data=data,
                         currency=currency, parts=parts, today=today or company_today(session), details={})


def refund_for_update(session: Session, refund_id: int) -> Refund:
    refund = session.get(Refund, refund_id, with_for_update=True, populate_existing=True)
    if refund is None:
        raise NotFound("That refund does not exist.")
    return refund


def refund_undo(session: Session, *, actor: User, refund_id: int, reason: str,
                details: dict | None = None) -> Refund:
    """The refunded money came back (the bank returned or reversed the transfer): it is the
    client's credit again, on the payments it came out of. Refused when one of them is no
    longer completed (voided, refunded or returned since), as that money is no one's credit."""
    require(actor, Action.PAYMENTS_WRITE)
    reason = reason_given(reason, limit=MAX_REASON)
    refund = refund_for_update(session, refund_id)
    if refund.status != RefundStatus.COMPLETED:
        raise Conflict("This refund was already undone.")
    parts = session.exec(select(RefundPart).where(RefundPart.refund_id == refund.id)
                         .order_by(RefundPart.payment_id)).all()
    for part in parts:
        payment = payment_for_update(session, part.payment_id)
        if payment.status != PaymentStatus.COMPLETED:
            raise Conflict(f"Payment {payment.reference or payment.id} is {payment.status} now; "
                           "its refund cannot be undone.")
        payment.amount_refunded -= part.amount
        session.add(payment)
    refund.status, refund.reversed_at, refund.reversal_reason = (
        RefundStatus.REVERSED, utcnow(), reason)
    session.add(refund)
    session.flush()
    audit_record(session, actor=actor, action="refund.undo", entity_type="refund",
                 entity_id=refund.id, details={"reason": reason, "amount": str(refund.amount),
                                               "currency": refund.currency, **(details or {})})
    return refund
