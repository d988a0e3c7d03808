from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from billing_app.models.base import AwareDateTime


class WorkerHeartbeat(SQLModel, table=True):
    """The last time a worker ran the beat's heartbeat task (one row per name)."""

    __tablename__ = "worker_heartbeats"

    name: str = Field(sa_type=String(50), primary_key=True)
    beat_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
