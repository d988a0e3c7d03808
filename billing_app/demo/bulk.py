"""Bulk writes of prepared rows: COPY on PostgreSQL, executemany elsewhere."""

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from queue import Queue
from threading import Thread

from psycopg import sql
from sqlalchemy import Connection, insert, text
from sqlmodel import SQLModel

# Statements that drop, then re-create, the foreign keys, unique constraints and secondary
# indexes of some tables, as PostgreSQL itself writes them.
_CONSTRAINTS = text("""
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                  pg_get_constraintdef(oid))
    FROM pg_constraint
    WHERE conrelid = ANY(CAST(:tables AS regclass[])) AND contype IN ('f', 'u')
    ORDER BY contype DESC, conname  -- unique constraints before foreign keys
""")
_INDEXES = text("""
    SELECT format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid)
    FROM pg_index
    WHERE indrelid = ANY(CAST(:tables AS regclass[]))
      AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid
                      AND contype IN ('p', 'u', 'x'))
""")


_COLUMN_TYPES = (
    "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
    "WHERE attrelid = CAST(%s AS regclass) AND attnum > 0 AND NOT attisdropped"
)


class TableWriter:
    """Writes rows (tuples in the order of `columns`) and counts rows and seconds per table."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.rows: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self._queue: Queue | None = None
        self._error: BaseException | None = None

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        if self._error is not None:
            raise self._error
        if not rows:
            return
        if self._queue is not None:
            self._queue.put((table, columns, rows))
        else:
            self._write_now(table, columns, rows)

    def _write_now(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        started = time.perf_counter()
        if self.postgres:
            self._copy(table, columns, rows)
        else:
            statement = insert(SQLModel.metadata.tables[table])
            self.connection.execute(statement, [dict(zip(columns, row)) for row in rows])
        self.seconds[table] += time.perf_counter() - started
        self.rows[table] += len(rows)

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """Binary COPY: it formats timestamps several times faster than text COPY does."""
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with self.connection.connection.driver_connection.cursor() as cursor:
            types = dict(cursor.execute(_COLUMN_TYPES, (table,)).fetchall())
            with cursor.copy(statement) as copy:
                copy.set_types([types[column] for column in columns])
                for row in rows:
                    copy.write_row(row)

    @contextmanager
    def loading(self, tables: Sequence[str]) -> Iterator[None]:
        """On PostgreSQL, load `tables` fast while the block runs.

        Their foreign keys, unique constraints and secondary indexes are dropped and rebuilt at
        the end (one validating pass instead of a check per row), and writes go to a worker
        thread so the server stores one chunk while Python builds the next. The block must not
        use the connection itself. Elsewhere this does nothing.
        """
        if not self.postgres:
            yield
            return
        names = {"tables": list(tables)}
        rebuild = []
        for query in (_INDEXES, _CONSTRAINTS):
            for drop, create in self.connection.execute(query, names):
                self.connection.execute(text(drop))
                rebuild.append(create)
        self._queue = Queue(maxsize=2)
        worker = Thread(target=self._drain, args=(self._queue,), name="demo-data-copy")
        worker.start()
        try:
            yield
        finally:
            self._queue.put(None)
            worker.join()
            self._queue = None
        if self._error is not None:
            raise self._error
        started = time.perf_counter()
        for statement in rebuild:  # indexes, unique constraints, then foreign keys
            self.connection.execute(text(statement))
        self.seconds["rebuild_constraints"] += time.perf_counter() - started

    def _drain(self, queue: Queue) -> None:
        """Worker thread: write what is queued; after an error keep emptying the queue."""
        while (item := queue.get()) is not None:
            if self._error is None:
                try:
                    self._write_now(*item)
                except BaseException as error:  # re-raised in the building thread
                    self._error = error

    def reset_sequences(self) -> None:
        """Move PostgreSQL id sequences past the ids given explicitly (SQLite needs nothing)."""
        if not self.postgres:
            return
        for table in self.rows:
            if "id" in SQLModel.metadata.tables[table].c:
                self.connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                         f"FROM {table}")
                )
