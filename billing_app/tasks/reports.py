"""The daily receivables snapshot behind the DSO history."""

from datetime import timedelta

from celery import shared_task

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import session_scope
from billing_app.queries.company import company_today
from billing_app.services.reports import receivables_snapshot_take


@shared_task(name="reports.snapshot_receivables")
def snapshot_receivables() -> int:
    """Snapshot the company's last finished day (yesterday in its time zone); returns the rows."""
    with session_scope() as session:
        day = company_today(session) - timedelta(days=1)
        return receivables_snapshot_take(session, actor=SYSTEM_ACTOR, day=day)
