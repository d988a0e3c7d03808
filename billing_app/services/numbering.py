"""Gapless document numbers: the next value of a per-period sequence, taken in the caller's
transaction.

One upsert both creates a period's sequence row (first number of the year) and moves it on;
the row stays locked until the transaction ends, so concurrent issues wait for each other
(PostgreSQL's row lock; SQLite's database write lock), and a rolled-back issue gives its
number back. The sequence never skips a value and never hands one out twice.
"""

from datetime import date
from typing import Literal

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from billing_app.domain.numbering import check_pattern, format_number, period_key
from billing_app.errors import Conflict
from billing_app.models.company import NumberSequence

DocumentKind = Literal["invoice", "credit_note"]
KINDS: tuple[DocumentKind, ...] = ("invoice", "credit_note")
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_number(session: Session, *, company_id: int, kind: DocumentKind, pattern: str,
                issue_date: date) -> str:
    """The next number of `kind` for a document issued on `issue_date`, formatted by `pattern`."""
    if kind not in KINDS:
        raise ValueError(f"Unknown document kind {kind!r}.")
    try:
        check_pattern(pattern)
    except ValueError as exc:
        label = kind.replace("_", " ")
        raise Conflict(f"The {label} number pattern in the settings is not usable: {exc}") from None
    table = NumberSequence.__table__
    upsert = _INSERT[session.get_bind().dialect.name](table).values(
        company_id=company_id, kind=kind, period_key=period_key(pattern, issue_date), next_value=2
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=[table.c.company_id, table.c.kind, table.c.period_key],
        set_={"next_value": table.c.next_value + 1},
    ).returning(table.c.next_value)
    sequence = session.execute(upsert).scalar_one() - 1
    return format_number(pattern, sequence=sequence, issue_date=issue_date)


def next_sequence_value(session: Session, *, company_id: int, kind: DocumentKind, pattern: str,
                        issue_date: date) -> int:
    """The sequence value the next document of `kind` issued on `issue_date` would get, read
    without taking it (a preview: a concurrent issue may take it first)."""
    check_pattern(pattern)
    stored = session.exec(select(NumberSequence.next_value).where(
        NumberSequence.company_id == company_id, NumberSequence.kind == kind,
        NumberSequence.period_key == period_key(pattern, issue_date))).first()
    return stored or 1

