"""Cash-in forecast: when each open invoice will probably be paid, from its due date and its
own client's record of paying late.

A client's lateness is the average of (day paid - due date) over its paid invoices; the
expected day of an open invoice is its due date shifted by that average (an invoice whose
expected day has passed is expected any day now, so in the first window). A client with no
paid invoice yet is expected to pay on the due date.

How good it is: a back-test on the invoices paid in the year before `today`. Each one's
forecast uses only the client's invoices paid before it (never its own or later ones); the
mean absolute error in days is set against the naive forecast "paid on the due date".
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import OPEN_STATUSES, PAID
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.queries.clients import days_to_pay
from billing_app.reports.sql import day_count, to_money

HORIZONS = (30, 60, 90)
BACKTEST_DAYS = 365
ZERO = Decimal(0)


@dataclass(frozen=True)
class ForecastWindow:
    currency: str
    days: int  # expected within this many days from today (cumulative)
    amount: Decimal
    invoice_count: int


@dataclass(frozen=True)
class BackTest:
    invoices: int  # paid invoices tested
    model_error_days: Decimal | None  # mean absolute error of this forecast
    naive_error_days: Decimal | None  # of "paid on the due date"


@dataclass(frozen=True)
class CashForecast:
    today: date
    windows: list[ForecastWindow]  # per currency, by days
    backtest: BackTest


def _lateness():
    """Days from due date to the (UTC) day the invoice became paid."""
    return days_to_pay(Invoice.due_date, Invoice.paid_at)


def _client_lateness():
    paid = and_(Invoice.status == PAID, Invoice.paid_at.is_not(None))
    return (
        select(Invoice.client_id, func.avg(_lateness()).label("late"))
        .where(paid).group_by(Invoice.client_id).subquery("lateness")
    )


def forecast_windows(session: Session, today: date, horizons=HORIZONS) -> list[ForecastWindow]:
    lateness = _client_lateness()
    # days from today to the expected day: due_date - today + the client's lateness
    offset = day_count(Invoice.due_date, today) + func.round(func.coalesce(lateness.c.late, 0))
    columns = []
    for days in horizons:
        inside = offset <= days
        columns += [func.coalesce(func.sum(case((inside, Invoice.balance_due))), ZERO),
                    func.count(case((inside, 1)))]
    rows = session.execute(
        select(Invoice.currency, *columns)
        .outerjoin(lateness, lateness.c.client_id == Invoice.client_id)
        .where(Invoice.status.in_(OPEN_STATUSES), Invoice.balance_due > 0)
        .group_by(Invoice.currency).order_by(Invoice.currency)
    ).all()
    return [
        ForecastWindow(row[0], days, to_money(row[1 + 2 * i]), row[2 + 2 * i])
        for row in rows for i, days in enumerate(horizons)
    ]


def backtest(session: Session, today: date) -> BackTest:
    late = _lateness()
    paid = (
        select(
            late.label("late"),
            func.avg(late).over(
                partition_by=Invoice.client_id, order_by=(Invoice.paid_at, Invoice.id),
                rows=(None, -1),
            ).label("estimate"),
            Invoice.paid_at,
        )
        .where(Invoice.status == PAID, Invoice.paid_at.is_not(None))
        .subquery("paid")
    )
    since = today - timedelta(days=BACKTEST_DAYS)
    predicted = func.round(func.coalesce(paid.c.estimate, 0))
    count, model, naive = session.execute(
        select(func.count(), func.avg(func.abs(paid.c.late - predicted)),
               func.avg(func.abs(paid.c.late)))
        .where(paid.c.paid_at >= datetime.combine(since, time(0), UTC),
               paid.c.paid_at < datetime.combine(today + timedelta(days=1), time(0), UTC))
    ).one()

    def days(value) -> Decimal | None:
        return None if value is None else to_money(value).quantize(Decimal("0.1"))

    return BackTest(count, days(model), days(naive))


def cash_forecast(session: Session, *, actor: User, today: date) -> CashForecast:
    require(actor, Action.REPORTS_VIEW)
    return CashForecast(today, forecast_windows(session, today), backtest(session, today))
