"""What one item of each kind of bulk job does. Each calls the service a person would use one
at a time, as the job's creator, so the same permission checks, rules and audit apply."""

from sqlmodel import Session

from billing_app.documents import invoice_pdf
from billing_app.errors import Conflict, ValidationFailed
from billing_app.models.bulk import BulkJob, BulkJobItem, BulkJobKind
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.services.bulk.archive import stage_pdf
from billing_app.services.invoices.sending import invoice_email_draft, invoice_send
from billing_app.services.payments.receipts import receipt_address
from billing_app.services.reminders import reminder_send
from billing_app.services.statements import statement_send

NO_ADDRESS = "The client has no email address: add a primary contact with one."


def _zip_entry(session: Session, job: BulkJob, item: BulkJobItem, actor: User) -> None:
    document = invoice_pdf(session, actor=actor, invoice_id=item.invoice_id)
    stage_pdf(job.id, item.position, document.filename, document.content)


def _send(session: Session, job: BulkJob, item: BulkJobItem, actor: User) -> None:
    """The send dialog's defaults: the primary recipient, the template's subject and text."""
    draft = invoice_email_draft(session, actor=actor, invoice_id=item.invoice_id)
    recipient = next((r for r in draft.recipients if r.primary), None) or next(iter(draft.recipients), None)
    if recipient is None:
        raise ValidationFailed(NO_ADDRESS)
    invoice_send(session, actor=actor, invoice_id=item.invoice_id, recipients=[recipient.address],
                 subject=draft.subject, message=draft.message, today=job.today)


def _remind(session: Session, job: BulkJob, item: BulkJobItem, actor: User) -> None:
    """The reminder level due today, as the 15-minute scan would send it, but now. Each level
    goes out once per invoice, so an invoice with nothing due is reported, not reminded twice."""
    if reminder_send(session, actor=actor, invoice_id=item.invoice_id, today=job.today) is None:
        invoice = session.get(Invoice, item.invoice_id)
        if receipt_address(session, session.get(Client, invoice.client_id)) is None:
            raise ValidationFailed(NO_ADDRESS)
        raise Conflict("No reminder is due for it today: not due yet, paid, paused, or the "
                       "reminder due was sent already.")


def item_work(session: Session, *, job: BulkJob, item: BulkJobItem, actor: User) -> None:
    """Raise a BillingError with the reason when the item cannot be done."""
    kind = BulkJobKind(job.kind)
    if kind == BulkJobKind.PDF_ZIP:
        _zip_entry(session, job, item, actor)
    elif kind == BulkJobKind.INVOICE_SEND:
        _send(session, job, item, actor)
    elif kind == BulkJobKind.REMINDER_SEND:
        _remind(session, job, item, actor)
    else:
        statement_send(session, actor=actor, client_id=item.client_id, date_from=job.date_from,
                       date_to=job.date_to)
