"""The daily receivables snapshot behind the DSO history."""

from datetime import timedelta

from celery import shared_task

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import session_scope
from billing_app.queries.company import company_today
from billing_app.services.reports import receivables_snapshot_take, receivables_snapshots_backfill


@shared_task(name="reports.snapshot_receivables")
def snapshot_receivables() -> int:
    """Snapshot the company's last finished day (yesterday in its time zone), and a missing
    month end or two of the DSO history; returns the rows written for yesterday."""
    with session_scope() as session:
        today = company_today(session)
        written = receivables_snapshot_take(session, actor=SYSTEM_ACTOR, day=today - timedelta(days=1))
    with session_scope() as session:
        receivables_snapshots_backfill(session, actor=SYSTEM_ACTOR, today=today)
    return written
