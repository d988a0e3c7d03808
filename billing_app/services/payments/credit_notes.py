"""Credit notes against issued invoices: they lower what the client owes.

Crediting more than is still owed (the invoice was already paid) takes the excess off the
invoice's most recent allocations: that money goes back to the client as credit, so an
invoice's balance never turns negative.
"""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import OPEN_STATUSES, PAID
from billing_app.domain.money import format_money, minor_units, quantize_money
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.invoices import CreditNote
from billing_app.models.payments import Payment, PaymentAllocation, PaymentStatus
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.inputs import text
from billing_app.services.invoices.credit_notes import credit_note_create
from billing_app.services.invoices.lifecycle import invoice_refresh_balance
from billing_app.services.payments.allocation import invoices_for_update
from billing_app.services.payments.inputs import Amount
from billing_app.services.validation import validated


class CreditNoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Amount
    reason: text(500)
    issue_date: date | None = None


def _return_to_credit(session: Session, invoice_id: int, excess: Decimal) -> Decimal:
    """Take `excess` off the invoice's allocations of completed payments, newest first;
    returns how much was taken."""
    allocations = session.exec(
        select(PaymentAllocation).join(Payment)
        .where(PaymentAllocation.invoice_id == invoice_id,
               Payment.status == PaymentStatus.COMPLETED)
        .order_by(PaymentAllocation.id.desc())).all()
    taken = Decimal(0)
    for allocation in allocations:
        if taken == excess:
            break
        payment = session.get(Payment, allocation.payment_id, with_for_update=True,
                              populate_existing=True)
        part = min(excess - taken, allocation.amount)
        payment.amount_allocated -= part
        allocation.amount -= part
        session.add(payment)
        if allocation.amount:
            session.add(allocation)
        else:
            session.delete(allocation)
        taken += part
    return taken


def credit_note_issue(session: Session, *, actor: User, invoice_id: int,
                      data: CreditNoteIn | dict, today: date | None = None) -> CreditNote:
    """Credit part or all of an issued invoice, tax included."""
    require(actor, Action.INVOICES_WRITE)
    data = data if isinstance(data, CreditNoteIn) else validated(CreditNoteIn, data)
    today = today or date.today()
    invoice = invoices_for_update(session, [invoice_id]).get(invoice_id)
    if invoice is None:
        raise NotFound("That invoice does not exist.")
    if invoice.status not in (*OPEN_STATUSES, PAID):
        raise Conflict(f"A {invoice.status.replace('_', ' ')} invoice cannot be credited.")
    if data.amount != quantize_money(data.amount, invoice.currency):
        raise ValidationFailed(f"Amount: {invoice.currency} amounts have at most "
                               f"{minor_units(invoice.currency)} decimals.", field="amount")
    creditable = invoice.total - invoice.amount_credited
    if data.amount > creditable:
        raise ValidationFailed(f"Amount: at most {format_money(creditable, invoice.currency)} "
                               f"of {invoice.number} is left to credit.", field="amount")
    excess = data.amount - invoice.balance_due
    returned = _return_to_credit(session, invoice.id, excess) if excess > 0 else Decimal(0)
    invoice.amount_paid -= returned
    note = credit_note_create(session, actor=actor, invoice=invoice, amount=data.amount,
                              reason=data.reason, issue_date=data.issue_date or today)
    invoice.amount_credited += data.amount
    invoice_refresh_balance(session, actor=actor, invoice=invoice, today=today)
    session.flush()
    audit_record(session, actor=actor, action="credit_note.issue", entity_type="credit_note",
                 entity_id=note.id, details={
                     "number": note.number, "invoice_id": invoice.id, "total": str(note.total),
                     "returned_to_credit": str(returned)})
    return note
