"""Delivering an invoice: by email with its PDF attached, or marked as sent by hand (post).
Either makes an issued invoice "sent"; issuing alone never does (domain/invoice_status.py)."""

import html as html_escaping
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date
from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.documents import invoice_pdf, sent_document_keep
from billing_app.domain.invoice_status import CANCELLED, DRAFT, ISSUED, SENT
from billing_app.domain.money import format_money
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.mail.outbox import outbox_add
from billing_app.mail.templates_store import email_render
from billing_app.models.base import utcnow
from billing_app.models.clients import Client, Contact
from billing_app.models.company import Company
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox
from billing_app.models.users import User
from billing_app.services.invoices._common import audit_invoice, change_status, invoice_for_update
from billing_app.services.invoices.lifecycle import invoice_issue
from billing_app.mail.links import client_invoice_link

TEMPLATE = "invoice_sent"
MAX_RECIPIENTS = 10
MAX_SUBJECT = EmailOutbox.__table__.c.subject.type.length
NUMBER_PENDING = "[invoice number]"
"""Stands for the number in a draft's prefilled email; replaced once sending has issued it."""
_ADDRESS = TypeAdapter(EmailStr)


@dataclass(frozen=True)
class Recipient:
    address: str
    label: str  # the contact's name, or "Client" for the client's own address
    primary: bool


@dataclass(frozen=True)
class InvoiceEmailDraft:
    recipients: list[Recipient]
    subject: str
    message: str


def invoice_recipients(session: Session, client: Client) -> list[Recipient]:
    """The client's contacts with an email, primary first, then the client's own address."""
    contacts = session.exec(select(Contact).where(Contact.client_id == client.id,
                                                  Contact.email.is_not(None))
                            .order_by(Contact.is_primary.desc(), Contact.name)).all()
    found = [Recipient(c.email, c.name, bool(c.is_primary)) for c in contacts]
    if client.email and client.email.lower() not in {r.address.lower() for r in found}:
        found.append(Recipient(client.email, "Client", not found))
    return found


def _context(session: Session, invoice: Invoice, client: Client) -> dict[str, str]:
    company = session.get(Company, invoice.company_id)

    def money(amount):
        return format_money(amount, invoice.currency, locale=company.locale)

    return {"client_name": client.name, "company_name": company.name,
            "invoice_number": invoice.number or NUMBER_PENDING, "total": money(invoice.total),
            "amount_due": money(invoice.balance_due if invoice.status != DRAFT else invoice.total),
            "due_date": format_date(invoice.due_date, "long", locale=company.locale),
            "link": client_invoice_link(invoice.id)}


def _readable_invoice(session: Session, invoice_id: int) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound("That invoice does not exist.")
    if invoice.status == CANCELLED:
        raise Conflict("A cancelled invoice cannot be sent.")
    return invoice


def invoice_email_draft(session: Session, *, actor: User, invoice_id: int) -> InvoiceEmailDraft:
    """What the send dialog starts with: the recipients to choose from and the template's
    subject and text for this invoice."""
    require(actor, Action.EMAILS_SEND)
    invoice = _readable_invoice(session, invoice_id)
    client = session.get(Client, invoice.client_id)
    subject, text, _ = email_render(session, TEMPLATE, _context(session, invoice, client))
    return InvoiceEmailDraft(invoice_recipients(session, client), subject, text)


def _addresses(recipients: list[str]) -> list[str]:
    addresses = list(dict.fromkeys(a.strip() for a in recipients if a and a.strip()))
    if not addresses:
        raise ValidationFailed("Choose at least one recipient.", field="recipients")
    if len(addresses) > MAX_RECIPIENTS:
        raise ValidationFailed(f"Send to at most {MAX_RECIPIENTS} addresses at once.",
                               field="recipients")
    for address in addresses:
        try:
            _ADDRESS.validate_python(address)
        except ValidationError:
            raise ValidationFailed(f"{address!r} is not a valid email address.",
                                   field="recipients") from None
    return addresses


def _message_html(message: str) -> str:
    """A typed message as HTML: escaped, one paragraph per blank-line-separated block."""
    blocks = [b.strip() for b in message.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(f"<p>{html_escaping.escape(b).replace(chr(10), '<br>')}</p>\n" for b in blocks)


def invoice_send(session: Session, *, actor: User, invoice_id: int, recipients: list[str],
                 subject: str, message: str, today: date) -> list[EmailOutbox]:
    """Email the invoice's PDF to each recipient (one outbox email each). A draft is issued
    first; the exact PDF bytes are kept, so what was sent can be shown later. Sending again is
    allowed and audited. The invoice becomes sent when the mail server accepts an email."""
    require(actor, Action.EMAILS_SEND)
    addresses = _addresses(recipients)
    subject, message = " ".join((subject or "").split()), (message or "").strip()
    if not subject:
        raise ValidationFailed("Write a subject.", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise ValidationFailed(f"Keep the subject under {MAX_SUBJECT} characters.", field="subject")
    if not message:
        raise ValidationFailed("Write a message.", field="message")
    invoice = _readable_invoice(session, invoice_id)
    was_draft = invoice.status == DRAFT
    if was_draft:
        invoice = invoice_issue(session, actor=actor, invoice_id=invoice_id, today=today)
        subject = subject.replace(NUMBER_PENDING, invoice.number)
        message = message.replace(NUMBER_PENDING, invoice.number)
    client = session.get(Client, invoice.client_id)
    _, template_text, template_html = email_render(session, TEMPLATE,
                                                   _context(session, invoice, client))
    body_html = template_html if message == template_text.strip() else _message_html(message)
    pdf = invoice_pdf(session, actor=actor, invoice_id=invoice.id)
    kept = sent_document_keep(session, kind="invoice", content=pdf.content, filename=pdf.filename,
                              invoice_id=invoice.id, client_id=invoice.client_id, actor=actor)
    resend = session.exec(select(EmailOutbox.id).where(EmailOutbox.invoice_id == invoice.id,
                                                       EmailOutbox.kind == "invoice")).first()
    emails = [outbox_add(session, to_address=address, subject=subject, body_text=message + "\n",
                         body_html=body_html, kind="invoice", attachments=[kept.id], actor=actor,
                         invoice_id=invoice.id, client_id=invoice.client_id)
              for address in addresses]
    audit_invoice(session, actor, "send", invoice.id, {
        "number": invoice.number, "recipients": addresses, "email_ids": [e.id for e in emails],
        "document_sha256": kept.sha256, "resend": resend is not None, "issued_now": was_draft})
    return emails


def invoice_mark_delivered(session: Session, *, actor: User, invoice_id: int, at: datetime,
                           how: str) -> bool:
    """Record that the invoice reached the client (`how`: "email" or "by hand"); an issued
    invoice becomes sent. False, changing nothing, if it was delivered before (a resend) or is
    a draft or cancelled now (an email that left after a cancellation must still be recorded)."""
    invoice = invoice_for_update(session, invoice_id)
    if invoice.status in (DRAFT, CANCELLED) or invoice.sent_at is not None:
        return False
    invoice.sent_at = at
    if invoice.status == ISSUED:
        change_status(session, invoice, SENT, actor=actor,
                      note="Emailed" if how == "email" else "Marked as sent")
    session.add(invoice)
    session.flush()
    audit_invoice(session, actor, "delivered", invoice.id, {"number": invoice.number, "how": how})
    return True


def invoice_mark_sent(session: Session, *, actor: User, invoice_id: int) -> Invoice:
    """"Mark as sent": the invoice went out another way (post, by hand)."""
    require(actor, Action.INVOICES_WRITE)
    invoice = invoice_for_update(session, invoice_id)
    if invoice.status in (DRAFT, CANCELLED):
        raise Conflict(f"A {invoice.status} invoice cannot be marked as sent.")
    if not invoice_mark_delivered(session, actor=actor, invoice_id=invoice_id, at=utcnow(),
                                  how="by hand"):
        raise Conflict("This invoice was already sent.")
    return invoice
