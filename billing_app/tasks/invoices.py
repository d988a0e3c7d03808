"""Nightly invoice housekeeping."""

from celery import shared_task

from billing_app.db import session_scope
from billing_app.queries.company import company_today
from billing_app.services.invoices import invoices_mark_overdue


@shared_task(name="invoices.mark_overdue")
def mark_overdue() -> int:
    """Open invoices past their due date (in the company's time zone) become overdue; returns
    how many."""
    with session_scope() as session:
        return invoices_mark_overdue(session, today=company_today(session))
