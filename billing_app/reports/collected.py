"""Collected: the money a client paid us less what we gave back, on the day it moved (a cash
view). Revenue, DSO and the home page all read it from here.

- A payment counts on its payment date, unless it was voided (recorded by mistake) or returned
  by the bank: that money was never collected.
- A refund counts, negative, on its refund date, unless it came back (then it was never made).
- A payment refunded whole (payment_refund) counts on its date, and what partial refunds had
  left of it counts, negative, on the company's day of the refund.
So a month already reported changes only when a payment is voided or returned.

`known_at` reads the figure as it stood at that instant (DSO's back-dated view, equal to the
snapshot taken then): a payment voided or returned later, and a refund that came back later,
still count.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select, union_all
from sqlmodel import Session

from billing_app.models.payments import Payment, PaymentStatus, Refund, RefundStatus
from billing_app.queries.company import current_company
from billing_app.reports.aging import day_end
from billing_app.reports.sql import local_date, to_money


def collected_by_day(session: Session, start: date, end: date, known_at: datetime | None = None
                     ) -> list[tuple[date, str, Decimal]]:
    """(day, currency, collected) for each day from start to end that moved money; one query."""
    received = Payment.status == PaymentStatus.REFUNDED  # given back on a day of its own
    refund_made = Refund.status == RefundStatus.COMPLETED
    if known_at is not None:
        received = or_(received, Payment.reversed_at >= known_at)
        refund_made = or_(refund_made, Refund.reversed_at >= known_at)
    in_period = Payment.payment_date.between(start, end)
    refunded_on = local_date(Payment.reversed_at, current_company(session).time_zone)
    moves = union_all(
        # completed payments apart, so the partial index on them answers alone
        select(Payment.payment_date.label("day"), Payment.currency, Payment.amount)
        .where(Payment.status == PaymentStatus.COMPLETED, in_period),
        select(Payment.payment_date, Payment.currency, Payment.amount)
        .where(Payment.status != PaymentStatus.COMPLETED, received, in_period),
        select(Refund.refund_date, Refund.currency, -Refund.amount)
        .where(refund_made, Refund.refund_date.between(start, end)),
        select(refunded_on, Payment.currency, Payment.amount_refunded - Payment.amount)
        .where(Payment.status == PaymentStatus.REFUNDED,
               Payment.reversed_at >= day_end(session, start - timedelta(days=1)),
               Payment.reversed_at < day_end(session, end)),
    ).subquery("moves")
    rows = session.execute(
        select(moves.c.day, moves.c.currency, func.sum(moves.c.amount))
        .group_by(moves.c.day, moves.c.currency)).all()
    return [(day, currency, to_money(amount)) for day, currency, amount in rows]


def collected_per_currency(session: Session, start: date, end: date,
                           known_at: datetime | None = None) -> dict[str, Decimal]:
    """collected_by_day summed over the period."""
    totals: dict[str, Decimal] = {}
    for _, currency, amount in collected_by_day(session, start, end, known_at):
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return totals
