"""Aging buckets: which age band an open amount falls in, and what each band is called.

An age is whole days from the basis date (the due date, or the issue date) to the as-of day.
By due date, an amount not yet due is "Current" and the bands count days past due (1-30,
31-60, ...); by issue date every amount has an age from 0, so the first band starts at 0.
The day boundaries are the upper ends of the bands: (30, 60, 90, 120) gives the usual report.
"""

from datetime import date, timedelta
from enum import StrEnum

DEFAULT_BOUNDARIES = (30, 60, 90, 120)
MAX_BOUNDARIES = 12


class AgingBasis(StrEnum):
    DUE_DATE = "due_date"
    ISSUE_DATE = "issue_date"

    @property
    def label(self) -> str:
        return "Due date" if self is AgingBasis.DUE_DATE else "Issue date"


def check_boundaries(boundaries: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """The boundaries as a tuple of rising positive day counts, or ValueError saying why not."""
    days = tuple(int(day) for day in boundaries)
    if not days or len(days) > MAX_BOUNDARIES:
        raise ValueError(f"Give between 1 and {MAX_BOUNDARIES} day boundaries.")
    if days[0] < 1 or any(b <= a for a, b in zip(days, days[1:])) or days[-1] > 36500:
        raise ValueError("Day boundaries must rise, like 30, 60, 90, 120.")
    return days


def parse_boundaries(text: str) -> tuple[int, ...]:
    """Boundaries typed as "30, 60, 90"."""
    try:
        return check_boundaries([int(part) for part in text.replace(";", ",").split(",")
                                 if part.strip()])
    except ValueError as error:
        if "boundaries" in str(error):
            raise
        raise ValueError("Write the day boundaries as whole numbers, like 30, 60, 90, 120.") from None


def edges(basis: AgingBasis, boundaries: tuple[int, ...]) -> tuple[int, ...]:
    """Ages above which an amount moves to the next bucket; bucket i holds edges[i-1] < age <= edges[i]."""
    return (0, *boundaries) if basis is AgingBasis.DUE_DATE else boundaries


def bucket_labels(basis: AgingBasis, boundaries: tuple[int, ...]) -> tuple[str, ...]:
    limits = edges(basis, boundaries)
    first = "Current" if basis is AgingBasis.DUE_DATE else f"0-{limits[0]}"
    middle = [f"{low + 1}-{high}" for low, high in zip(limits, limits[1:])]
    return (first, *middle, f"Over {limits[-1]}")


def edge_dates(as_of: date, basis: AgingBasis, boundaries: tuple[int, ...]) -> tuple[date, ...]:
    """The basis date at each edge: age > edge exactly when the basis date is before it.

    Lets SQL bucket by comparing a date column with constants, which reads the same on every
    database and needs no date arithmetic per row.
    """
    return tuple(as_of - timedelta(days=edge) for edge in edges(basis, boundaries))
