"""Receivables snapshots: the figures of one finished day, kept for the DSO history."""

from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.models.reports import ReceivablesSnapshot
from billing_app.models.users import User
from billing_app.reports.dso import WINDOW_DAYS, month_ends, receivables_on


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


def receivables_snapshots_backfill(session: Session, *, actor: User, today: date, months: int = 24,
                                   limit: int = 2) -> list[date]:
    """Snapshot up to `limit` month ends of the last `months` that have none yet, the latest
    first, so a new installation's DSO history fills in over a few beat runs instead of being
    rebuilt on every page view. Returns the days written."""
    require(actor, Action.REPORTS_VIEW)
    wanted = month_ends(today, months)[:-1]  # the last one is today, not finished
    have = set(session.exec(select(ReceivablesSnapshot.day).where(
        ReceivablesSnapshot.day.in_(wanted))).all())
    missing = sorted(set(wanted) - have, reverse=True)[:limit]
    for day in missing:
        receivables_snapshot_take(session, actor=actor, day=day)
    return missing
