"""Is the stack working: the database answers, the broker answers, and the worker ran the
beat's heartbeat task lately (which proves beat, broker and worker all do their part)."""

from datetime import datetime

from kombu import Connection
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from billing_app.models.base import utcnow
from billing_app.models.health import WorkerHeartbeat
from billing_app.settings import get_settings

HEARTBEAT = "worker"


def database_check(session: Session) -> dict:
    try:
        session.exec(text("SELECT 1")).one()
    except SQLAlchemyError:
        session.rollback()
        return {"status": "failing", "message": "The database is not reachable."}
    return {"status": "ok"}


def broker_check() -> dict:
    """Connect to the Celery broker (Redis, or the embedded SQLite one) and let go."""
    try:
        with Connection(get_settings().celery_broker_url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
    except Exception:  # noqa: BLE001 - any failure means the same: tasks cannot be queued
        return {"status": "failing", "message": "The task broker is not reachable."}
    return {"status": "ok"}


def worker_check(session: Session, now: datetime | None = None) -> dict:
    """ok while the last heartbeat is younger than HEARTBEAT_STALE_SECONDS, else stale."""
    try:
        row = session.get(WorkerHeartbeat, HEARTBEAT)
    except SQLAlchemyError:
        session.rollback()
        return {"status": "unknown", "message": "The heartbeat is kept in the database."}
    if row is None:
        return {"status": "failing", "message": "No worker has reported yet."}
    age = max(0, int(((now or utcnow()) - row.beat_at).total_seconds()))
    fresh = age <= get_settings().heartbeat_stale_seconds
    return {"status": "ok" if fresh else "stale", "last_heartbeat": row.beat_at.isoformat(),
            "age_seconds": age}
