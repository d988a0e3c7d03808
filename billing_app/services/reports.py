"""Receivables snapshots: the figures of one finished day, kept for the DSO history."""

from datetime import date

from sqlalchemy import delete
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.models.reports import ReceivablesSnapshot
from billing_app.models.users import User
from billing_app.reports.dso import WINDOW_DAYS, receivables_on


def receivables_snapshot_take(session: Session, *, actor: User, day: date) -> int:
    """Store the receivables at the end of `day` per currency, replacing any earlier snapshot
    of that day (so the beat may run as often as it likes). Returns the rows written.

    It records only what the reports already show anyone allowed to see them, hence
    REPORTS_VIEW; no audit entry, as nothing a person did changes.
    """
    require(actor, Action.REPORTS_VIEW)
    figures = receivables_on(session, day)
    session.execute(delete(ReceivablesSnapshot).where(ReceivablesSnapshot.day == day))
    session.add_all(
        ReceivablesSnapshot(day=day, currency=f.currency, outstanding=f.outstanding,
                            overdue=f.overdue, open_invoices=f.open_invoices,
                            window_days=WINDOW_DAYS, invoiced_trailing=f.invoiced_trailing,
                            collected_trailing=f.collected_trailing)
        for f in figures
    )
    session.flush()
    return len(figures)
