"""What the invoice services share: loading with a row lock, status changes with history, audit."""

from typing import Any

from sqlmodel import Session

from billing_app.domain.invoice_status import InvoiceStatus, check_transition
from billing_app.errors import NotFound
from billing_app.models.invoices import Invoice, InvoiceStatusHistory
from billing_app.models.users import User
from billing_app.services.audit import audit_record


def invoice_for_update(session: Session, invoice_id: int) -> Invoice:
    """The invoice, re-read and locked until commit so concurrent changes wait for each other."""
    invoice = session.get(Invoice, invoice_id, with_for_update=True, populate_existing=True)
    if invoice is None:
        raise NotFound("That invoice does not exist.")
    return invoice


def change_status(session: Session, invoice: Invoice, new: InvoiceStatus, *, actor: User,
                  note: str | None = None) -> None:
    """Move the invoice to `new` if that move is legal, and write who did it to the history."""
    check_transition(invoice.status, new)
    session.add(InvoiceStatusHistory(invoice_id=invoice.id, from_status=invoice.status,
                                     to_status=new, changed_by_id=actor.id, note=note))
    invoice.status = new
    session.add(invoice)


def audit_invoice(session: Session, actor: User, action: str, invoice_id: int | None,
                  details: dict[str, Any] | None = None) -> None:
    audit_record(session, actor=actor, action=f"invoice.{action}", entity_type="invoice",
                 entity_id=invoice_id, details=details)
