"""Credit notes against issued invoices: they lower what the client owes.

Crediting more than is still owed (the invoice was already paid) takes the excess off the
invoice's most recent allocations: that money goes back to the client as credit, so an
invoice's balance never turns negative.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import OPEN_STATUSES, PAID
from billing_app.domain.money import format_money, minor_units, quantize_money
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.invoices import MAX_LINES, CreditNote, Id, Invoice, Quantity
from billing_app.models.payments import Payment, PaymentAllocation, PaymentStatus
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.services.audit import audit_record
from billing_app.models.inputs import text
from billing_app.services.invoices.credit_notes import (
    LinesCredited,
    credit_note_create,
    lines_to_credit,
)
from billing_app.services.invoices.lifecycle import invoice_refresh_balance
from billing_app.services.payments.allocation import invoices_for_update
from billing_app.services.payments.inputs import Amount
from billing_app.services.validation import validated


class CreditLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_line_id: Id
    quantity: Quantity


def _lines_given(lines: list[CreditLineIn] | None) -> list[CreditLineIn] | None:
    if lines is not None and not lines:
        raise ValueError("choose at least one line to credit.")
    if lines and len({line.invoice_line_id for line in lines}) != len(lines):
        raise ValueError("name each invoice line once.")
    return lines


CreditLines = Annotated[list[CreditLineIn] | None, PydanticField(max_length=MAX_LINES),
                        AfterValidator(_lines_given)]


class CreditLinesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[CreditLineIn] = PydanticField(max_length=MAX_LINES)


class CreditNoteIn(BaseModel):
    """An amount (tax included), or lines: invoice lines and the quantities to credit."""

    model_config = ConfigDict(extra="forbid")

    amount: Amount | None = None
    lines: CreditLines = None
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


def _amount_of(session: Session, invoice: Invoice, amount: Decimal | None,
               lines: list[CreditLineIn] | None) -> tuple[Decimal, LinesCredited | None]:
    """(amount, lines credited or None) of the note asked for, checked against what is left
    to credit on the invoice."""
    if (amount is None) == (lines is None):
        raise ValidationFailed("Amount: give an amount to credit, or lines, not both."
                               if lines else "Amount: give the amount to credit.",
                               field="amount")
    if lines is None:
        if amount != quantize_money(amount, invoice.currency):
            raise ValidationFailed(f"Amount: {invoice.currency} amounts have at most "
                                   f"{minor_units(invoice.currency)} decimals.", field="amount")
        by_lines = None
    else:
        by_lines = lines_to_credit(session, invoice, [(line.invoice_line_id, line.quantity)
                                                      for line in lines])
        amount = by_lines.totals.total
    creditable = invoice.total - invoice.amount_credited
    if amount > creditable:
        left = (f"at most {format_money(creditable, invoice.currency)} of {invoice.number} "
                "is left to credit.")
        raise ValidationFailed(
            f"Amount: {left}" if by_lines is None else
            f"Lines: these lines come to {format_money(amount, invoice.currency)}; {left}",
            field="amount" if by_lines is None else "lines")
    return amount, by_lines


def _creditable_invoice(session: Session, invoice_id: int, *, lock: bool) -> Invoice:
    invoice = (invoices_for_update(session, [invoice_id]).get(invoice_id) if lock
               else session.get(Invoice, invoice_id))
    if invoice is None:
        raise NotFound("That invoice does not exist.")
    if invoice.status not in (*OPEN_STATUSES, PAID):
        raise Conflict(f"A {invoice.status.replace('_', ' ')} invoice cannot be credited.")
    return invoice


def credit_note_preview(session: Session, *, actor: User, invoice_id: int,
                        lines: list[dict]) -> LinesCredited:
    """What a credit note of these lines would come to, checked as issuing checks them (the
    dialog's live totals); writes nothing."""
    require(actor, Action.INVOICES_WRITE)
    data = validated(CreditLinesIn, {"lines": lines})
    invoice = _creditable_invoice(session, invoice_id, lock=False)
    return _amount_of(session, invoice, None, data.lines)[1]


def credit_note_issue(session: Session, *, actor: User, invoice_id: int,
                      data: CreditNoteIn | dict, today: date | None = None) -> CreditNote:
    """Credit part or all of an issued invoice, tax included: an amount, or by line."""
    require(actor, Action.INVOICES_WRITE)
    data = data if isinstance(data, CreditNoteIn) else validated(CreditNoteIn, data)
    today = today or company_today(session)
    invoice = _creditable_invoice(session, invoice_id, lock=True)
    amount, by_lines = _amount_of(session, invoice, data.amount, data.lines)
    excess = amount - invoice.balance_due
    returned = _return_to_credit(session, invoice.id, excess) if excess > 0 else Decimal(0)
    invoice.amount_paid -= returned
    note = credit_note_create(session, actor=actor, invoice=invoice, amount=amount,
                              reason=data.reason, issue_date=data.issue_date or today,
                              by_lines=by_lines)
    invoice.amount_credited += amount
    invoice_refresh_balance(session, actor=actor, invoice=invoice, today=today)
    session.flush()
    audit_record(session, actor=actor, action="credit_note.issue", entity_type="credit_note",
                 entity_id=note.id, details={
                     "number": note.number, "invoice_id": invoice.id, "total": str(note.total),
                     "returned_to_credit": str(returned),
                     **({"lines": {str(line.id): str(quantity) for line, quantity in by_lines.lines}}
                        if by_lines else {})})
    return note
