"""Days sales outstanding per month, drawn from the daily receivables snapshots.

DSO on a day = receivables outstanding at the end of that day ÷ invoiced (net of credit notes)
in the WINDOW_DAYS days up to it × WINDOW_DAYS. A beat task snapshots each finished day
(services.reports.receivables_snapshot_take); a month end that has no snapshot (before the
task ran, or in a test) is computed on the spot from the same back-dated aging query, so the
figures are the same either way, only slower.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.models.invoices import CreditNote, Invoice
from billing_app.models.reports import ReceivablesSnapshot
from billing_app.models.users import User
from billing_app.reports.aging import (
    AgingOptions,
    QueryForm,
    day_end,
    query_values,
    receivables_totals,
)
from billing_app.reports.collected import collected_per_currency
from billing_app.reports.sql import issued_between, notes_between, to_money

WINDOW_DAYS = 90
FORMULA = (f"DSO = receivables outstanding at the end of the day ÷ invoiced (net of credit notes) "
           f"in the {WINDOW_DAYS} days up to that day × {WINDOW_DAYS}")
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReceivablesFigures:
    day: date
    currency: str
    outstanding: Decimal
    overdue: Decimal
    open_invoices: int
    invoiced_trailing: Decimal
    collected_trailing: Decimal
    dso: Decimal | None = None  # figures() sets it from the others


def dso_of(outstanding: Decimal, invoiced: Decimal) -> Decimal | None:
    """The formula above, to one decimal; None when nothing was invoiced in the window."""
    if invoiced <= 0:
        return None
    return (outstanding / invoiced * WINDOW_DAYS).quantize(Decimal("0.1"))


def figures(day: date, currency: str, outstanding: Decimal, overdue: Decimal, open_invoices: int,
            invoiced: Decimal, collected: Decimal) -> ReceivablesFigures:
    return ReceivablesFigures(day, currency, outstanding, overdue, open_invoices, invoiced,
                              collected, dso_of(outstanding, invoiced))


def receivables_on(session: Session, day: date, end_of_day: datetime | None = None
                   ) -> list[ReceivablesFigures]:
    """The receivables at the end of `day`, per currency, computed from dated facts."""
    end_of_day = end_of_day or day_end(session, day)
    first = day - timedelta(days=WINDOW_DAYS - 1)
    options = AgingOptions(as_of=day)
    totals = {c: (to_money(o), to_money(d), n) for c, o, d, n in session.execute(
        receivables_totals(QueryForm.of(options)), query_values(options, end_of_day)).all()}
    invoiced = dict(session.execute(
        select(Invoice.currency, func.sum(Invoice.total))
        .where(*issued_between(first, day)).group_by(Invoice.currency)).all())
    credited = dict(session.execute(
        select(CreditNote.currency, func.sum(CreditNote.total))
        .where(*notes_between(first, day)).group_by(CreditNote.currency)).all())
    collected = collected_per_currency(session, first, day, known_at=end_of_day)
    currencies = sorted(set(totals) | set(invoiced) | set(collected))
    return [
        figures(
            day, currency, *totals.get(currency, (ZERO, ZERO, 0)),
            to_money(invoiced.get(currency)) - to_money(credited.get(currency)),
            to_money(collected.get(currency)))
        for currency in currencies
    ]


def _from_snapshot(row: ReceivablesSnapshot) -> ReceivablesFigures:
    return figures(row.day, row.currency, row.outstanding, row.overdue, row.open_invoices,
                   row.invoiced_trailing, row.collected_trailing)


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months` months before today's, then today."""
    days, first = [], today.replace(day=1)
    for _ in range(months):
        days.append(first - timedelta(days=1))
        first = days[-1].replace(day=1)
    return sorted(days) + [today]


def dso_history(session: Session, *, actor: User, today: date, months: int = 12
                ) -> list[ReceivablesFigures]:
    """Receivables and DSO at each month end and today, by day then currency."""
    require(actor, Action.REPORTS_VIEW)
    days = month_ends(today, months)
    stored = session.exec(
        select(ReceivablesSnapshot).where(ReceivablesSnapshot.day.in_(days),
                                          ReceivablesSnapshot.window_days == WINDOW_DAYS)
    ).scalars().all()
    by_day: dict[date, list[ReceivablesFigures]] = {}
    for row in stored:
        by_day.setdefault(row.day, []).append(_from_snapshot(row))
    history = []
    for day in days:
        history += sorted(by_day[day], key=lambda f: f.currency) if day in by_day and day < today \
            else receivables_on(session, day)
    return history
