"""Days and times of the demo: UTC timestamps and invoice dates that grow towards today.

Every invoice's age (days before today) comes from the random seed alone, and its whole life
(due date, credits, payments) is counted in days from its issue date. So the shape of the
data (how many drafts, open, overdue, partly paid and paid invoices) is the same on any day
of any year; only the calendar dates move. Invoices may therefore fall on weekends.
"""

import math
import random
from datetime import UTC, date, datetime, timedelta

DAYS_PER_MONTH = 30  # a fixed length: a span of months must not depend on which months they are


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def span_start(today: date, months: int) -> date:
    """The first day of a demo spanning `months` fixed-length months up to today."""
    return today - timedelta(days=months * DAYS_PER_MONTH)


def issue_dates(rng: random.Random, count: int, first_day: date, today: date) -> list[date]:
    """Sorted days from first_day to today, about twice as many at the end as at the start."""
    span = (today - first_day).days
    # density 2/3 + 2x/3 over the span x in [0, 1]: F(x) = (2x + x²) / 3, so x = √(1 + 3u) - 1
    offsets = sorted(
        min(span, int((math.sqrt(1 + 3 * rng.random()) - 1) * (span + 1))) for _ in range(count)
    )
    return [first_day + timedelta(days=offset) for offset in offsets]
