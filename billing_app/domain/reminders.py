"""Dunning rules: which reminder level an invoice is due for, and what a late fee comes to.

The schedule is read against the invoice's current state, never against a log of past
runs, so a scan after downtime sends what is due now: the latest level whose date has come,
and never a level below one already sent (an invoice that missed two levels gets one
reminder, not a burst of three).
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from billing_app.domain.money import quantize_money

FIXED = "fixed"
PERCENT = "percent"


@dataclass(frozen=True)
class Step:
    """A reminder level as the rules see it: its id and its days after the due date."""

    id: int
    days: int


def step_date(due_date: date, step: Step) -> date:
    return due_date + timedelta(days=step.days)


def step_due(steps: Sequence[Step], due_date: date, today: date,
             sent: Collection[int]) -> Step | None:
    """The level to send today: the latest one whose date has come, unless it or a later one
    (by today's schedule) was already sent. `sent` holds the ids of levels sent before."""
    reached = [step for step in steps if step_date(due_date, step) <= today]
    if not reached:
        return None
    latest = max(reached, key=lambda step: step.days)
    if any(step.id in sent and step.days >= latest.days for step in steps):
        return None
    return latest


def step_next(steps: Sequence[Step], due_date: date, today: date,
              sent: Collection[int]) -> Step | None:
    """The level the invoice gets next: the one due today if any (the next scan sends it),
    else the first level after the last one sent, whose date is still to come."""
    due = step_due(steps, due_date, today, sent)
    if due is not None:
        return due
    last = max((step.days for step in steps if step.id in sent), default=None)
    later = [step for step in steps if last is None or step.days > last]
    return min(later, key=lambda step: step.days, default=None)


def late_fee(kind: str | None, value: Decimal | None, amount_due: Decimal,
             currency: str) -> Decimal:
    """The fee a level charges: a fixed amount, or a percent of what is due, rounded half up
    to the currency's minor unit; zero for a level without a fee."""
    if kind is None or not value:
        return Decimal(0)
    if kind == FIXED:
        amount = value
    elif kind == PERCENT:
        amount = amount_due * value / 100
    else:
        raise ValueError(f"Unknown late fee kind {kind!r}; use fixed or percent.")
    return quantize_money(amount, currency)
