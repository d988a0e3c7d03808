"""Queue the send task for an email only once the transaction that wrote it has committed: a
worker never looks for a row that is not there yet, and a rolled-back transaction queues
nothing. If the broker is down at that moment, the email stays queued in the outbox and the
beat sweep (tasks/mail.py) sends it later, so a failed publish is logged, not raised."""

import logging
from collections.abc import Iterable
from functools import lru_cache

from celery import Celery
from sqlalchemy import event
from sqlmodel import Session

from billing_app.settings import get_settings

SEND_TASK = "mail.send_email"
_PENDING = "billing_app.emails_to_send"
log = logging.getLogger(__name__)


@lru_cache
def _publisher(broker_url: str) -> Celery:
    """A publish-only client of the configured broker; the layers below the edges never import
    the tasks package, so the task is named, not imported."""
    return Celery("billing_app", broker=broker_url, set_as_current=False)


def email_send_now(email_ids: Iterable[int]) -> None:
    """Publish one send task per id (outside any transaction: the rows are committed)."""
    publisher = _publisher(get_settings().celery_broker_url)
    for email_id in email_ids:
        try:
            publisher.send_task(SEND_TASK, args=[email_id], retry=False)
        except Exception:  # broker down: the sweep picks the email up later
            log.warning("could not queue email %s; the outbox sweep will send it", email_id,
                        exc_info=True)


def _after_commit(session: Session) -> None:
    email_send_now(session.info.pop(_PENDING, []))


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def email_send_after_commit(session: Session, email_id: int) -> None:
    """Send the (flushed) outbox email `email_id` once this session's transaction commits."""
    if "billing_app.email_hooks" not in session.info:
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_rollback", _after_rollback)
        session.info["billing_app.email_hooks"] = True
    session.info.setdefault(_PENDING, []).append(email_id)
