"""Every email is written to the outbox in the transaction of its cause, rendered from the
current template (mail/templates_store.py), with its PDFs linked as kept documents; the send
task is queued after commit (mail/dispatch.py) and a worker delivers it (mail/delivery.py)."""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from billing_app.mail.dispatch import email_send_after_commit
from billing_app.mail.templates_store import email_render
from billing_app.models.messaging import EmailAttachment, EmailOutbox
from billing_app.models.users import User


def outbox_add(session: Session, *, to_address: str, subject: str, body_text: str,
               body_html: str | None, kind: str, attachments: Sequence[int] = (),
               actor: User | None = None, **links: int | None) -> EmailOutbox:
    """Queue an email already written. `attachments` are sent_documents ids; `links` are the
    outbox's foreign keys (invoice_id, payment_id, client_id)."""
    email = EmailOutbox(to_address=to_address, subject=subject, body_text=body_text,
                        body_html=body_html, kind=kind,
                        created_by_id=actor.id if actor is not None else None, **links)
    session.add(email)
    session.flush()
    session.add_all([EmailAttachment(email_id=email.id, sent_document_id=document_id)
                     for document_id in dict.fromkeys(attachments)])
    email_send_after_commit(session, email.id)
    return email


def outbox_queue(session: Session, *, template: str, to_address: str, kind: str,
                 context: dict[str, Any], attachments: Sequence[int] = (),
                 actor: User | None = None, **links: int | None) -> EmailOutbox:
    """Render the template `template` (a key of templates_store.SPECS, e.g. "reminder:2") with
    `context` and queue the email."""
    subject, text, html = email_render(session, template, context)
    return outbox_add(session, to_address=to_address, subject=subject, body_text=text,
                      body_html=html, kind=kind, attachments=attachments, actor=actor, **links)
