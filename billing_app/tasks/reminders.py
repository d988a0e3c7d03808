"""The reminder scan: every 15 minutes, what the invoices' current state says is due."""

import logging
from datetime import date

from celery import shared_task

from billing_app.db import session_scope
from billing_app.queries.company import company_today
from billing_app.queries.reminders import reminders_due
from billing_app.services.reminders import reminder_send

logger = logging.getLogger(__name__)


def reminders_run(today: date | None = None) -> int:
    """Send every reminder due `today` (the company's today by default); one transaction per
    invoice, so a run killed halfway keeps what it sent and the next run does the rest.
    Returns how many were sent by this run."""
    with session_scope() as session:
        today = today or company_today(session)
        due = reminders_due(session, today=today)
    sent = 0
    for invoice_id, _ in due:
        try:
            with session_scope() as session:
                sent += reminder_send(session, invoice_id=invoice_id, today=today) is not None
        except Exception:  # noqa: BLE001 - e.g. a template that no longer renders: rolled
            # back and logged; the other invoices still get theirs, this one is tried next run
            logger.exception("reminder for invoice %s not sent", invoice_id)
    return sent


@shared_task(name="reminders.scan", acks_late=True)
def scan_reminders(today: str | None = None) -> int:
    """Send the reminders due now, or on the ISO date `today` (a pinned day for tests and
    operators); safe to run twice at once or again after a crash."""
    return reminders_run(date.fromisoformat(today) if today else None)
