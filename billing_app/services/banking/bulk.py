"""Statements over thousands of rows or values at once, on PostgreSQL and SQLite.

On PostgreSQL rows travel as one JSON document that the server reads as a table
(json_to_recordset), and a list of values as one array parameter: one short statement
however many rows. (A multi-row VALUES list or an IN list of ten thousand placeholders
makes psycopg rewrite a huge query text, and arrays of text are escaped value by value:
both cost seconds.) SQLite gets executemany and plain IN lists.
"""

import json
from collections.abc import Sequence

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Row,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    column,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, column: Column, values: Sequence) -> ColumnElement[bool]:
    """column IN values: `= ANY(array)` on PostgreSQL, with a single parameter."""
    if _postgres(session):
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def insert_rows(session: Session, table: Table, rows: Sequence[dict], *,
                returning: Sequence[Column] = (), skip_duplicates_of: str | None = None,
                ) -> list[Row]:
    """Insert the rows (dicts with the same keys) in one statement; with skip_duplicates_of
    (a unique column), rows whose value is taken are skipped (ON CONFLICT DO NOTHING).
    Returns what `returning` asks of the rows inserted, in no particular order."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    statement = _INSERTS[dialect](table)
    parameters = list(rows)
    if dialect == "postgresql":
        columns = list(rows[0])
        statement = statement.from_select(columns, _recordset(table, columns, rows))
        parameters = None
    if skip_duplicates_of:
        statement = statement.on_conflict_do_nothing(index_elements=[skip_duplicates_of])
    if returning:
        statement = statement.returning(*returning)
    result = session.connection().execute(statement, parameters)
    return result.all() if returning else []


def _recordset(table: Table, columns: list[str], rows: Sequence[dict]):
    """SELECT <columns> FROM json_to_recordset(<the rows as JSON>) AS t(<column> <type>...):
    dates, timestamps and Decimals go as their text, which the column types read exactly."""
    payload = json.dumps([{name: row[name] for name in columns} for row in rows], default=str)
    source = (func.json_to_recordset(cast(bindparam(None, payload, type_=Text), JSON))
              .table_valued(*(column(name, table.c[name].type) for name in columns))
              .render_derived(with_types=True))
    return select(*(source.c[name] for name in columns))
