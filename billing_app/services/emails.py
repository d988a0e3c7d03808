"""The outbox's delivery states, as the worker (tasks/mail.py) and the email log move them:
queued -> sending (claimed by one worker) -> sent, or back to queued to be tried again after
a backoff, or failed. Every step is one conditional UPDATE, so two workers given the same
email never both send it, and a worker that lost its claim cannot overwrite the outcome."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR, Action, require
from billing_app.documents import sent_document_read
from billing_app.errors import Conflict, NotFound
from billing_app.mail.dispatch import email_send_after_commit
from billing_app.mail.smtp import Attachment
from billing_app.models.messaging import EmailAttachment, EmailOutbox, OutboxStatus
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.invoices.sending import invoice_mark_delivered

QUEUED, SENDING, SENT, FAILED = OutboxStatus
MAX_ERROR = 2000
SWEEP_GRACE = timedelta(seconds=30)


def _due(now: datetime, claim_timeout: timedelta):
    """Queued and due, or claimed by a worker that has not finished within the timeout."""
    return or_(
        and_(EmailOutbox.status == QUEUED,
             or_(EmailOutbox.next_attempt_at.is_(None), EmailOutbox.next_attempt_at <= now)),
        and_(EmailOutbox.status == SENDING, EmailOutbox.claimed_at < now - claim_timeout),
    )


def email_claim(session: Session, *, email_id: int, now: datetime,
                claim_timeout: timedelta) -> bool:
    """Take the email for sending, counting the attempt; False if another worker has it, it is
    not due yet, or it is settled. Commit before talking SMTP, so the claim is seen by all:
    under concurrency the second UPDATE waits for the first and then matches no row."""
    claimed = session.execute(
        update(EmailOutbox).where(EmailOutbox.id == email_id, _due(now, claim_timeout))
        .values(status=SENDING, claimed_at=now, attempts=EmailOutbox.attempts + 1)
    )
    return claimed.rowcount == 1


def emails_due(session: Session, *, now: datetime, claim_timeout: timedelta,
               grace: timedelta = SWEEP_GRACE, limit: int = 500) -> list[int]:
    """Ids of the emails the sweep should (re)queue: queued while the broker was down, due for
    another try, or stuck with a dead worker. Emails due for less than `grace` are left to the
    task already queued for them."""
    waiting_since = func.coalesce(EmailOutbox.next_attempt_at, EmailOutbox.created_at)
    return list(session.exec(select(EmailOutbox.id)
                             .where(_due(now, claim_timeout), or_(EmailOutbox.status == SENDING,
                                                                  waiting_since <= now - grace))
                             .order_by(EmailOutbox.id).limit(limit)).all())


@dataclass(frozen=True)
class OutgoingEmail:
    id: int
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    attachments: list[Attachment]


def email_outgoing(session: Session, email_id: int) -> OutgoingEmail:
    """The claimed email with the exact bytes of its kept PDFs."""
    email = session.get(EmailOutbox, email_id)
    document_ids = session.exec(select(EmailAttachment.sent_document_id)
                                .where(EmailAttachment.email_id == email_id)
                                .order_by(EmailAttachment.sent_document_id)).all()
    kept = [sent_document_read(session, actor=SYSTEM_ACTOR, sent_document_id=document_id)
            for document_id in document_ids]
    return OutgoingEmail(
        id=email.id, to_address=email.to_address, subject=email.subject,
        body_text=email.body_text, body_html=email.body_html,
        attachments=[Attachment(document.filename, content) for document, content in kept])


def _settle(session: Session, email_id: int, claimed_at: datetime, **values) -> bool:
    """Write the outcome only while this worker's claim still holds."""
    return session.execute(
        update(EmailOutbox).where(EmailOutbox.id == email_id, EmailOutbox.status == SENDING,
                                  EmailOutbox.claimed_at == claimed_at).values(**values)
    ).rowcount == 1


def email_sent_record(session: Session, *, email_id: int, claimed_at: datetime,
                      now: datetime) -> bool:
    """Mark the email sent; an invoice it carried is now delivered (issued -> sent)."""
    if not _settle(session, email_id, claimed_at, status=SENT, sent_at=now, next_attempt_at=None):
        return False
    email = session.get(EmailOutbox, email_id, populate_existing=True)
    if email.kind == "invoice" and email.invoice_id is not None:
        sender = session.get(User, email.created_by_id) if email.created_by_id else None
        invoice_mark_delivered(session, actor=sender or SYSTEM_ACTOR, invoice_id=email.invoice_id,
                               at=now, how="email")
    session.flush()
    return True


def email_failure_record(session: Session, *, email_id: int, claimed_at: datetime, now: datetime,
                         error: str, transient: bool, max_attempts: int,
                         retry_base: timedelta) -> datetime | None:
    """Record a failed attempt. A transient failure with attempts left goes back to the queue
    after an exponential backoff (retry_base, then twice as long each time) and that time is
    returned; otherwise the email is failed and None is returned."""
    attempts = session.exec(select(EmailOutbox.attempts).where(EmailOutbox.id == email_id)).one()
    error = error[:MAX_ERROR]
    if transient and attempts < max_attempts:
        retry_at = now + retry_base * 2 ** (attempts - 1)
        if _settle(session, email_id, claimed_at, status=QUEUED, last_error=error,
                   next_attempt_at=retry_at):
            return retry_at
        return None
    _settle(session, email_id, claimed_at, status=FAILED, last_error=error, next_attempt_at=None)
    return None


def email_retry(session: Session, *, actor: User, email_id: int) -> EmailOutbox:
    """Queue a failed email again, with a fresh count of attempts (from the email log)."""
    require(actor, Action.EMAILS_SEND)
    email = session.get(EmailOutbox, email_id, with_for_update=True, populate_existing=True)
    if email is None:
        raise NotFound("That email does not exist.")
    if email.status != FAILED:
        raise Conflict(f"Only a failed email can be retried; this one is {email.status}.")
    email.status, email.attempts, email.next_attempt_at = QUEUED, 0, None
    session.add(email)
    session.flush()
    audit_record(session, actor=actor, action="email.retry", entity_type="email",
                 entity_id=email.id, details={"to": email.to_address, "last_error": email.last_error})
    email_send_after_commit(session, email.id)
    return email
