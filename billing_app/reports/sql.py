"""SQL pieces the reports share: which invoices and credit notes count in a period, money
read back exactly, and date arithmetic that PostgreSQL and SQLite spell differently."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from billing_app.domain.invoice_status import DRAFT
from billing_app.models.invoices import CreditNote, CreditNoteStatus, Invoice


def issued_between(start: date, end: date) -> tuple:
    """Invoices issued (numbered) in the period, cancelled ones too: their credit notes
    count on their own dates."""
    return (Invoice.number.is_not(None), Invoice.status != DRAFT,
            Invoice.issue_date >= start, Invoice.issue_date <= end)


def notes_between(start: date, end: date) -> tuple:
    return (CreditNote.status == CreditNoteStatus.ISSUED,
            CreditNote.issue_date >= start, CreditNote.issue_date <= end)


def to_money(value) -> Decimal:
    """A sum read back from SQL as Decimal (0 for none); SQLite may hand back a float."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


class day_count(FunctionElement):
    """Whole days from the second date to the first (later - earlier)."""

    type = Integer()
    inherit_cache = True


@compiles(day_count, "postgresql")
def _day_count_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


@compiles(day_count)
def _day_count_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class month_start(FunctionElement):
    """The first day of the date's month."""

    type = Date()
    inherit_cache = True


@compiles(month_start, "postgresql")
def _month_start_postgresql(element, compiler, **kw):
    (day,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(date_trunc('month', {day}) AS DATE)"


@compiles(month_start)
def _month_start_sqlite(element, compiler, **kw):
    (day,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, 'start of month')"


class local_date(FunctionElement):
    """The date an instant falls on in a time zone (SQLite, the development database, has no
    zones: its UTC date)."""

    type = Date()
    inherit_cache = True

    def __init__(self, instant, zone: str):
        super().__init__(instant, literal(zone))


@compiles(local_date, "postgresql")
def _local_date_postgresql(element, compiler, **kw):
    instant, zone = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(timezone({zone}, {instant}) AS DATE)"


@compiles(local_date)
def _local_date_sqlite(element, compiler, **kw):
    instant, _ = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({instant})"
