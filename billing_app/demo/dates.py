"""Days and times of the demo: UTC timestamps and invoice dates that grow towards today."""

import calendar
import math
import random
from datetime import UTC, date, datetime, timedelta


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def issue_dates(rng: random.Random, count: int, first_day: date, today: date) -> list[date]:
    """Sorted working days from first_day to today, about twice as many at the end as at the start."""
    span = (today - first_day).days
    working = [_working_day(first_day + timedelta(days=offset), first_day, today)
               for offset in range(span + 1)]
    # density 2/3 + 2x/3 over the span x in [0, 1]: F(x) = (2x + x²) / 3, so x = √(1 + 3u) - 1
    offsets = sorted(
        min(span, int((math.sqrt(1 + 3 * rng.random()) - 1) * (span + 1))) for _ in range(count)
    )
    return [working[offset] for offset in offsets]


def _working_day(day: date, first_day: date, today: date) -> date:
    """Weekends move to the Friday before, or the Monday after at the start of the span."""
    if day.weekday() < 5:
        return day
    friday = day - timedelta(days=day.weekday() - 4)
    monday = day + timedelta(days=7 - day.weekday())
    return friday if friday >= first_day or monday > today else monday
