"""Pausing reminders for a client (all its invoices) or one invoice, with the reason (e.g. a
dispute); the scan skips them until someone resumes."""

from sqlmodel import Session, SQLModel

from billing_app.auth.permissions import Action, require
from billing_app.errors import NotFound
from billing_app.models.base import utcnow
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.validation import reason_given

MAX_REASON = Client.__table__.c.reminders_pause_reason.type.length


def _set_pause(session: Session, actor: User, model: type[SQLModel], row_id: int,
               reason: str | None) -> SQLModel:
    """Pause the row (locked) with `reason`, or resume with None; audited as
    <table>.reminders_pause or .reminders_resume."""
    entity_type = model.__name__.lower()
    row = session.get(model, row_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise NotFound(f"That {entity_type} does not exist.")
    if reason is None:
        before = row.reminders_pause_reason
        row.reminders_paused_at, row.reminders_pause_reason = None, None
        action, details = "reminders_resume", {"was": before}
    else:
        reason = reason_given(reason, limit=MAX_REASON,
                              missing="Give the reason for pausing reminders, such as disputed.")
        row.reminders_paused_at, row.reminders_pause_reason = utcnow(), reason
        action, details = "reminders_pause", {"reason": reason}
    session.add(row)
    audit_record(session, actor=actor, action=f"{entity_type}.{action}", entity_type=entity_type,
                 entity_id=row.id, details=details)
    session.flush()
    return row


def client_reminders_pause(session: Session, *, actor: User, client_id: int,
                           reason: str | None) -> Client:
    """No reminders for any invoice of the client while paused; `reason` None resumes."""
    require(actor, Action.CLIENTS_WRITE)
    return _set_pause(session, actor, Client, client_id, reason)


def invoice_reminders_pause(session: Session, *, actor: User, invoice_id: int,
                            reason: str | None) -> Invoice:
    """No reminders for this invoice while paused; `reason` None resumes."""
    require(actor, Action.INVOICES_WRITE)
    return _set_pause(session, actor, Invoice, invoice_id, reason)
