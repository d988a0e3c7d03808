"""Housekeeping of browser sessions."""

from celery import shared_task

from billing_app.auth.sessions import sessions_purge_expired
from billing_app.db import session_scope


@shared_task(name="sessions.purge_expired")
def purge_expired_sessions() -> int:
    """Delete sessions that ended more than a day ago; returns how many."""
    with session_scope() as session:
        return sessions_purge_expired(session)
