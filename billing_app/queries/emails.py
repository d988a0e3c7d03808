"""Reads of the email outbox for the email log, the invoice page and the API."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.documents import SentDocument
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailAttachment, EmailOutbox, OutboxStatus
from billing_app.models.users import User

MAX_PAGE = 200


@dataclass(frozen=True)
class EmailRow:
    email: EmailOutbox
    invoice_number: str | None


@dataclass(frozen=True)
class EmailPage:
    rows: list[EmailRow]
    total: int


@dataclass(frozen=True)
class EmailDetail:
    email: EmailOutbox
    invoice_number: str | None
    attachments: list[SentDocument]


def emails_page(session: Session, *, actor: User, status: str | None = None,
                invoice_id: int | None = None, offset: int = 0, limit: int = 25) -> EmailPage:
    """Newest first, optionally one status or one invoice's emails."""
    require(actor, Action.EMAILS_READ)
    conditions = []
    if status:
        try:
            conditions.append(EmailOutbox.status == OutboxStatus(status))
        except ValueError:
            raise ValidationFailed("Choose a status from the list.", field="status") from None
    if invoice_id is not None:
        conditions.append(EmailOutbox.invoice_id == invoice_id)
    total = session.exec(select(func.count()).select_from(EmailOutbox).where(*conditions)).one()
    rows = session.exec(
        select(EmailOutbox, Invoice.number).outerjoin(Invoice, Invoice.id == EmailOutbox.invoice_id)
        .where(*conditions).order_by(EmailOutbox.id.desc())
        .offset(max(offset, 0)).limit(max(1, min(limit, MAX_PAGE)))).all()
    return EmailPage([EmailRow(email, number) for email, number in rows], total)


def email_detail(session: Session, *, actor: User, email_id: int) -> EmailDetail:
    """One email as it was written, with the kept PDFs it carries."""
    require(actor, Action.EMAILS_READ)
    email = session.get(EmailOutbox, email_id)
    if email is None:
        raise NotFound("That email does not exist.")
    number = session.get(Invoice, email.invoice_id).number if email.invoice_id else None
    attachments = session.exec(
        select(SentDocument).join(EmailAttachment,
                                  EmailAttachment.sent_document_id == SentDocument.id)
        .where(EmailAttachment.email_id == email_id).order_by(SentDocument.id)).all()
    return EmailDetail(email, number, list(attachments))
