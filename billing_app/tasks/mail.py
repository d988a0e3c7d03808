"""Sending the outbox over SMTP: one task per email, and a sweep every minute for what no task
is carrying (queued while the broker was down, due for another try, or held by a dead worker).

Each email is claimed in its own committed transaction before the SMTP conversation and its
outcome written in another, so two workers never send it twice. A worker that dies between
the server's acceptance and the outcome leaves it 'sending'; after the claim timeout it is sent
again: at least once, never silently lost.
"""

from datetime import timedelta

from celery import shared_task

from billing_app.db import session_scope
from billing_app.mail.dispatch import SEND_TASK, email_send_now
from billing_app.mail.smtp import DeliveryFailed, message_build, smtp_send
from billing_app.models.base import utcnow
from billing_app.services.emails import (
    email_claim,
    email_failure_record,
    email_outgoing,
    email_sent_record,
    emails_due,
)
from billing_app.settings import get_settings


@shared_task(name=SEND_TASK)
def send_email(email_id: int) -> str:
    """Deliver one outbox email; returns what happened: sent, retry, failed or skipped."""
    settings = get_settings()
    claimed_at = utcnow()
    claim_timeout = timedelta(seconds=settings.mail_claim_timeout_seconds)
    with session_scope() as session:
        if not email_claim(session, email_id=email_id, now=claimed_at,
                           claim_timeout=claim_timeout):
            return "skipped"  # sent, failed, not due yet, or another worker has it
    try:
        with session_scope() as session:
            email = email_outgoing(session, email_id)
        smtp_send(message_build(sender=settings.mail_from, to=email.to_address,
                                subject=email.subject, text=email.body_text, html=email.body_html,
                                attachments=email.attachments, message_id=f"outbox.{email.id}"),
                  settings)
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the email
        failure = error if isinstance(error, DeliveryFailed) else DeliveryFailed(
            getattr(error, "message", None) or repr(error), transient=False)
        with session_scope() as session:
            retry_at = email_failure_record(
                session, email_id=email_id, claimed_at=claimed_at, now=utcnow(),
                error=failure.message, transient=failure.transient,
                max_attempts=settings.mail_max_attempts,
                retry_base=timedelta(seconds=settings.mail_retry_base_seconds))
        if retry_at is None:
            return "failed"
        send_email.apply_async(args=[email_id], eta=retry_at)
        return "retry"
    with session_scope() as session:
        email_sent_record(session, email_id=email_id, claimed_at=claimed_at, now=utcnow())
    return "sent"


@shared_task(name="mail.sweep_outbox")
def sweep_outbox() -> int:
    """Queue a send task for every email due and not being sent; returns how many."""
    settings = get_settings()
    with session_scope() as session:
        due = emails_due(session, now=utcnow(),
                         claim_timeout=timedelta(seconds=settings.mail_claim_timeout_seconds))
    email_send_now(due)
    return len(due)
