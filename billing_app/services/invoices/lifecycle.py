"""Issuing, cancelling and the status an issued invoice's balance and due date give it."""

from datetime import date
from decimal import Decimal

from sqlalchemy import exists, insert, update
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR, Action, require
from billing_app.domain.invoice_status import (
    CANCELLED,
    DRAFT,
    ISSUED,
    OVERDUE,
    PAID,
    PARTIALLY_PAID,
    SENT,
    TransitionNotAllowed,
    cancel_refusal,
    check_transition,
    status_for_balance,
)
from billing_app.domain.money import format_money
from billing_app.domain.totals import amount_due
from billing_app.errors import Conflict, ValidationFailed
from billing_app.models.base import utcnow
from billing_app.models.clients import Client
from billing_app.models.company import Company
from billing_app.models.invoices import (
    Invoice,
    InvoiceLine,
    InvoiceStatusHistory,
)
from billing_app.models.users import User
from billing_app.queries.clients import client_outstanding
from billing_app.queries.company import company_today
from billing_app.services.invoices._common import audit_invoice, change_status, invoice_for_update
from billing_app.services.invoices.credit_notes import credit_note_create
from billing_app.services.invoices.drafts import CLIENT_ARCHIVED
from billing_app.services.numbering import next_number
from billing_app.services.validation import reason_given

OVERDUE_NOTE = "Due date passed"  # as in the demo data
MAX_REASON = InvoiceStatusHistory.__table__.c.note.type.length


class CreditLimitExceeded(Conflict):
    """Issuing would take the client over its credit limit; an admin may override it."""

    def __init__(self, *, client_name: str, currency: str, credit_limit: Decimal,
                 outstanding: Decimal, invoice_total: Decimal) -> None:
        self.currency, self.credit_limit = currency, credit_limit
        self.outstanding, self.invoice_total = outstanding, invoice_total
        self.excess = outstanding + invoice_total - credit_limit

        def money(amount: Decimal) -> str:
            return format_money(amount, currency)

        super().__init__(
            f"This invoice would take {client_name} {money(self.excess)} over its credit limit "
            f"of {money(credit_limit)}: it already owes {money(outstanding)} and this invoice "
            f"is {money(invoice_total)}. Only an admin can issue it anyway."
        )

    def details(self) -> dict[str, str]:
        return {"currency": self.currency, "credit_limit": str(self.credit_limit),
                "outstanding": str(self.outstanding), "invoice_total": str(self.invoice_total),
                "excess": str(self.excess)}


def _credit_check(session: Session, client: Client, invoice: Invoice) -> CreditLimitExceeded | None:
    if client.credit_limit is None:
        return None
    owed = client_outstanding(session, client.id).get(invoice.currency, Decimal(0))
    if owed + invoice.total <= client.credit_limit:
        return None
    return CreditLimitExceeded(client_name=client.name, currency=invoice.currency,
                               credit_limit=client.credit_limit, outstanding=owed,
                               invoice_total=invoice.total)


def _number(session: Session, invoice: Invoice) -> str:
    company = session.get(Company, invoice.company_id)
    number = next_number(session, company_id=company.id, kind="invoice",
                         pattern=company.invoice_number_pattern, issue_date=invoice.issue_date)
    taken = session.exec(select(exists().where(Invoice.company_id == company.id,
                                               Invoice.number == number))).one()
    if taken:
        raise Conflict(f"The number {number} is already used by another invoice; check the "
                       "invoice number pattern in the settings.")
    return number


def invoice_issue(session: Session, *, actor: User, invoice_id: int,
                  override_credit_limit: bool = False, today: date | None = None) -> Invoice:
    """Number a draft and make it an issued invoice whose amounts can no longer change; it
    becomes sent once delivered (services/invoices/sending.py).

    Refused without lines, for an archived client, and (CreditLimitExceeded) when the client's
    open balance in the invoice's currency plus this total passes its credit limit, unless an
    admin overrides it. The number is taken in this transaction: a failed issue leaves no gap.
    """
    require(actor, Action.INVOICES_WRITE)
    if override_credit_limit:
        require(actor, Action.CREDIT_LIMIT_OVERRIDE)
    invoice = invoice_for_update(session, invoice_id)
    check_transition(invoice.status, ISSUED)
    if not session.exec(select(exists().where(InvoiceLine.invoice_id == invoice.id))).one():
        raise ValidationFailed("Add at least one line before issuing the invoice.", field="lines")
    # one issue per client at a time, so two cannot both fit under its credit limit
    client = session.get(Client, invoice.client_id, with_for_update={"key_share": True},
                         populate_existing=True)
    if client.is_archived:
        raise Conflict(CLIENT_ARCHIVED)
    exceeded = _credit_check(session, client, invoice)
    if exceeded is not None and not override_credit_limit:
        raise exceeded
    invoice.number = _number(session, invoice)
    change_status(session, invoice, ISSUED, actor=actor)
    invoice_refresh_balance(session, actor=actor, invoice=invoice, today=today or company_today(session))
    session.flush()
    if exceeded is not None:
        audit_invoice(session, actor, "credit_limit_override", invoice.id,
                      {"client_id": client.id, **exceeded.details()})
    audit_invoice(session, actor, "issue", invoice.id,
                  {"number": invoice.number, "currency": invoice.currency,
                   "total": str(invoice.total), "status": invoice.status})
    return invoice


def invoice_refresh_balance(session: Session, *, actor: User, invoice: Invoice,
                            today: date) -> Invoice:
    """Set balance_due from the total and late fees, amount_paid and amount_credited, and move
    the status to the one the balance gives (with history). For services that change what was
    paid, credited or charged (payments, credit notes, late fees); they check their own
    permission first."""
    if invoice.status in (DRAFT, CANCELLED):
        raise Conflict(f"A {invoice.status.replace('_', ' ')} invoice has no balance to settle.")
    due = amount_due(invoice.total, invoice.fees_total)
    invoice.balance_due = due - invoice.amount_paid - invoice.amount_credited
    status = status_for_balance(due, invoice.amount_paid, invoice.amount_credited,
                                invoice.due_date, today, delivered=invoice.sent_at is not None)
    if status != invoice.status:
        change_status(session, invoice, status, actor=actor)
    invoice.paid_at = (invoice.paid_at or utcnow()) if status == PAID else None
    session.add(invoice)
    return invoice


def _credit_in_full(session: Session, actor: User, invoice: Invoice, reason: str,
                    today: date) -> None:
    """An issued invoice is cancelled by a credit note for all of it; its number stays used."""
    if invoice.amount_credited:
        raise Conflict("This invoice already has a credit note; credit the rest with another "
                       "credit note instead of cancelling it.")
    credit_note_create(session, actor=actor, invoice=invoice, amount=invoice.total,
                       reason=reason, issue_date=today)
    invoice.amount_credited = invoice.total


def invoice_cancel(session: Session, *, actor: User, invoice_id: int, reason: str,
                   today: date | None = None) -> Invoice:
    """Cancel a draft, or an issued invoice with nothing paid (by a full credit note)."""
    require(actor, Action.INVOICES_WRITE)
    reason = reason_given(reason, limit=MAX_REASON, missing="Give the reason for cancelling.")
    invoice = invoice_for_update(session, invoice_id)
    refusal = cancel_refusal(invoice.status, invoice.amount_paid, invoice.fees_total)
    if refusal:
        raise TransitionNotAllowed(refusal)
    if invoice.status != DRAFT:
        _credit_in_full(session, actor, invoice, reason, today or company_today(session))
    invoice.balance_due = Decimal(0)
    invoice.cancelled_at = utcnow()
    change_status(session, invoice, CANCELLED, actor=actor, note=reason)
    session.flush()
    audit_invoice(session, actor, "cancel", invoice.id,
                  {"number": invoice.number, "reason": reason, "total": str(invoice.total)})
    return invoice


def invoices_mark_overdue(session: Session, *, today: date, actor: User = SYSTEM_ACTOR) -> int:
    """Open invoices with a balance whose due date has passed become overdue, in bulk: one
    UPDATE per old status and one history insert. Returns how many changed."""
    require(actor, Action.INVOICES_WRITE)
    now = utcnow()
    history = []
    for status in (ISSUED, SENT, PARTIALLY_PAID):
        moved = session.execute(
            update(Invoice)
            .where(Invoice.status == status, Invoice.due_date < today, Invoice.balance_due > 0)
            .values(status=OVERDUE, updated_at=now)
            .returning(Invoice.id)
        ).scalars().all()
        history += [{"invoice_id": invoice_id, "from_status": status.value,
                     "to_status": OVERDUE.value, "changed_by_id": actor.id, "changed_at": now,
                     "note": OVERDUE_NOTE} for invoice_id in moved]
    if history:
        session.execute(insert(InvoiceStatusHistory), history)
        audit_invoice(session, actor, "mark_overdue", None,
                      {"count": len(history), "today": today.isoformat()})
    session.flush()
    return len(history)
