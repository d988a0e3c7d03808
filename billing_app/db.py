"""Engine and the unit of work: commit or roll back at the edge, never inside services."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from billing_app.settings import get_settings

T = TypeVar("T")


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_read_engine() -> Engine:
    """For reads that need no transaction of their own (a list's page and sums): autocommit, so
    no BEGIN and COMMIT travel to the server, and no ping before each use (a read is retried
    once instead, see read_scope). Under load each round trip waits its turn at the database:
    a list read makes three instead of six. On SQLite, the ordinary engine."""
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        return engine
    return create_engine(engine.url, pool_size=10, max_overflow=10, isolation_level="AUTOCOMMIT")


def forget_engines() -> None:
    """Close the engines' connections and build new ones on next use (the settings changed)."""
    for cached in (get_read_engine, get_engine):
        if cached.cache_info().currsize:
            cached().dispose()
        cached.cache_clear()


def read_scope(work: Callable[[Session], T]) -> T:
    """work(session) on the read engine; once more on a fresh connection if the database had
    dropped the first (restarted): reading twice changes nothing. Each statement sees the data
    committed when it starts, as it would in a READ COMMITTED transaction."""
    try:
        return _read_once(work)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    return _read_once(work)


def _read_once(work: Callable[[Session], T]) -> T:
    with Session(get_read_engine(), expire_on_commit=False) as session:
        return work(session)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back on any error."""
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
