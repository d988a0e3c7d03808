"""The worker's heartbeat: written by a beat task every minute, read by /api/v1/health."""

from datetime import datetime

from sqlmodel import Session

from billing_app.models.base import utcnow
from billing_app.models.health import WorkerHeartbeat
from billing_app.queries.health import HEARTBEAT


def heartbeat_record(session: Session, now: datetime | None = None) -> datetime:
    """Note that a worker is alive now (one row, overwritten)."""
    row = session.get(WorkerHeartbeat, HEARTBEAT, with_for_update=True)
    if row is None:
        row = WorkerHeartbeat(name=HEARTBEAT, beat_at=now or utcnow())
    row.beat_at = now or utcnow()
    session.add(row)
    session.flush()
    return row.beat_at
