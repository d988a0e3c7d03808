"""db.read_scope on PostgreSQL: a read whose pooled connection the database dropped (as a
restart does) is read again on a new connection instead of failing."""

from sqlalchemy import text

from billing_app.db import get_read_engine, read_scope, session_scope


def backend_pid(db) -> int:
    return db.connection().execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_dropped_connection_is_read_again(pg_url):
    pid = read_scope(backend_pid)  # the pooled connection the next read will get
    with session_scope() as db:
        db.connection().execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert read_scope(backend_pid) != pid
    assert get_read_engine().pool.checkedout() == 0
