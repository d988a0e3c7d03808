"""Putting payments on invoices and taking them off again, under row locks.

Every change locks the payment row and the invoice rows it touches (invoices in id order,
so two transactions never wait for each other in a circle) and re-reads them, so two
accountants paying the same invoice at the same moment are serialised: the second sees
what the first left. The database checks the result once more (an invoice's balance is
never negative, a payment's allocated amount never exceeds it).
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from billing_app.domain.allocation import oldest_due_first as share_oldest_first
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.domain.money import format_money, minor_units, quantize_money
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment, PaymentAllocation, PaymentStatus
from billing_app.models.users import User
from billing_app.services.invoices.lifecycle import invoice_refresh_balance
from billing_app.services.payments.inputs import AllocationIn


def payment_for_update(session: Session, payment_id: int) -> Payment:
    payment = session.get(Payment, payment_id, with_for_update=True, populate_existing=True)
    if payment is None:
        raise NotFound("That payment does not exist.")
    return payment


def invoices_for_update(session: Session, invoice_ids: Iterable[int]) -> dict[int, Invoice]:
    """The invoices, locked in id order and re-read."""
    ids = sorted(set(invoice_ids))
    if not ids:
        return {}
    rows = session.exec(select(Invoice).where(Invoice.id.in_(ids)).order_by(Invoice.id)
                        .with_for_update().execution_options(populate_existing=True)).all()
    return {invoice.id: invoice for invoice in rows}


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def _check_allocation(payment: Payment, invoice: Invoice | None, amount: Decimal,
                      field: str) -> Invoice:
    if invoice is None:
        raise ValidationFailed("That invoice does not exist.", field=field)
    label = invoice.number or "This draft"
    if invoice.client_id != payment.client_id:
        raise ValidationFailed(f"{label} belongs to another client.", field=field)
    if invoice.currency != payment.currency:
        raise ValidationFailed(f"{label} is in {invoice.currency}, the payment in "
                               f"{payment.currency}.", field=field)
    if invoice.status not in OPEN_STATUSES:
        raise ValidationFailed(f"{label} is {invoice.status.replace('_', ' ')}; only issued "
                               "invoices with something left to pay take payments.", field=field)
    if amount != quantize_money(amount, invoice.currency):
        raise ValidationFailed(f"{invoice.currency} amounts have at most "
                               f"{minor_units(invoice.currency)} decimals.", field=field)
    if amount > invoice.balance_due:
        raise ValidationFailed(f"{label} has only {_money(invoice.balance_due, invoice.currency)} "
                               f"left to pay, less than {_money(amount, invoice.currency)}.",
                               field=field)
    return invoice


def allocate(session: Session, *, actor: User, payment: Payment,
             allocations: Sequence[AllocationIn], today: date) -> list[PaymentAllocation]:
    """Put parts of a locked, completed payment on invoices; refused as a whole if one part
    does not fit (another client's or a settled invoice, more than its balance, more than
    what is left of the payment)."""
    if payment.status != PaymentStatus.COMPLETED:
        raise Conflict(f"This payment is {payment.status}; it cannot be allocated.")
    named = [a.invoice_id for a in allocations]
    if len(set(named)) != len(named):  # each part is checked against the balance on its own
        raise ValidationFailed("Name each invoice once; put its whole amount on one line.",
                               field="allocations")
    wanted = sum((a.amount for a in allocations), Decimal(0))
    if wanted > payment.unallocated:
        raise ValidationFailed(
            f"The allocations add up to {_money(wanted, payment.currency)}, but only "
            f"{_money(payment.unallocated, payment.currency)} of the payment is unallocated.",
            field="allocations")
    invoices = invoices_for_update(session, (a.invoice_id for a in allocations))
    checked = [_check_allocation(payment, invoices.get(wish.invoice_id), wish.amount,
                                 f"allocations.{position}.amount")
               for position, wish in enumerate(allocations)]
    rows = []
    for invoice, wish in zip(checked, allocations, strict=True):
        invoice.amount_paid += wish.amount
        invoice_refresh_balance(session, actor=actor, invoice=invoice, today=today)
        rows.append(PaymentAllocation(payment_id=payment.id, invoice_id=invoice.id,
                                      amount=wish.amount))
    payment.amount_allocated += wanted
    session.add_all([payment, *rows])
    session.flush()
    return rows


def oldest_due_first(session: Session, payment: Payment) -> list[AllocationIn]:
    """What auto-allocation would do with what is unallocated of the payment: the client's
    open invoices in its currency, the oldest due date first. Locks those invoices."""
    candidates = session.exec(
        select(Invoice.id).where(Invoice.client_id == payment.client_id,
                                 Invoice.currency == payment.currency,
                                 Invoice.status.in_(OPEN_STATUSES), Invoice.balance_due > 0)
        .order_by(Invoice.due_date, Invoice.id)).all()
    invoices = invoices_for_update(session, candidates)
    still_open = [(i.id, i.due_date, i.balance_due) for i in invoices.values()
                  if i.status in OPEN_STATUSES]  # settled while we waited for the lock: skipped
    return [AllocationIn(invoice_id=invoice_id, amount=part)
            for invoice_id, part in share_oldest_first(payment.unallocated, still_open)]


def release(session: Session, *, actor: User, payment: Payment,
            allocations: Sequence[PaymentAllocation], today: date,
            delete: bool) -> None:
    """Take allocations off their invoices (whose balance and status go back); `delete` removes
    the rows too, otherwise they stay as the history of a voided or refunded payment."""
    invoices = invoices_for_update(session, (a.invoice_id for a in allocations))
    for allocation in allocations:
        invoice = invoices[allocation.invoice_id]
        invoice.amount_paid -= allocation.amount
        invoice_refresh_balance(session, actor=actor, invoice=invoice, today=today)
        if delete:
            payment.amount_allocated -= allocation.amount
            session.delete(allocation)
    session.add(payment)
    session.flush()


def payment_allocations(session: Session, payment_id: int) -> list[PaymentAllocation]:
    return list(session.exec(select(PaymentAllocation)
                             .where(PaymentAllocation.payment_id == payment_id)
                             .order_by(PaymentAllocation.id)).all())
