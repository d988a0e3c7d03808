"""Bulk work (send, remind, PDF zip, statement run) whose progress is a database row.

A job lists its items up front; the Celery task works through the pending ones, committing
each item's outcome as it goes, so a restarted worker carries on where the last one stopped
and the UI reads the progress from here.
"""

from datetime import date, datetime
from enum import StrEnum
from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.base import created_at_field, enum_field, timestamp_field


class BulkJobKind(StrEnum):
    INVOICE_SEND = "invoice_send"
    REMINDER_SEND = "reminder_send"
    PDF_ZIP = "pdf_zip"
    STATEMENT_RUN = "statement_run"


class BulkJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"  # every item was tried; failures are listed on their items
    FAILED = "failed"  # the job itself could not finish (its error says why)


class BulkItemStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class BulkJob(SQLModel, table=True):
    __tablename__ = "bulk_jobs"
    __table_args__ = (
        # A double click (or a resent websocket message) carries the same key: one job.
        UniqueConstraint("created_by_id", "request_key"),
        Index("ix_bulk_jobs_created_by_created", "created_by_id", "created_at"),
        CheckConstraint("done >= 0 AND failed >= 0 AND done + failed <= total", name="progress"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: BulkJobKind = enum_field(BulkJobKind)
    status: BulkJobStatus = enum_field(BulkJobStatus, default=BulkJobStatus.QUEUED)
    request_key: str = Field(sa_type=String(100), nullable=False)
    total: int = Field(default=0, nullable=False)
    done: int = Field(default=0, nullable=False)
    failed: int = Field(default=0, nullable=False)
    date_from: date | None = Field(default=None)  # statement runs: the statements' period
    date_to: date | None = Field(default=None)
    today: date = Field(nullable=False)  # the business date the job was started on
    error: str | None = Field(default=None, sa_type=Text)
    result_path: str | None = Field(default=None, sa_type=String(500))  # under data_dir/exports
    created_by_id: int = Field(foreign_key="users.id", nullable=False)
    created_at: datetime = created_at_field()
    started_at: datetime | None = timestamp_field()
    heartbeat_at: datetime | None = timestamp_field()  # last sign of a worker on it (the sweep)
    finished_at: datetime | None = timestamp_field()


class BulkJobItem(SQLModel, table=True):
    """One invoice (send, remind, zip) or one client (statement run) of a job."""

    __tablename__ = "bulk_job_items"
    __table_args__ = (
        UniqueConstraint("job_id", "position"),
        CheckConstraint("(invoice_id IS NULL) <> (client_id IS NULL)", name="one_target"),
        Index("ix_bulk_job_items_job_status", "job_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="bulk_jobs.id", nullable=False)
    position: int = Field(nullable=False)  # the order items are worked through
    invoice_id: int | None = Field(default=None, foreign_key="invoices.id")
    client_id: int | None = Field(default=None, foreign_key="clients.id")
    status: BulkItemStatus = enum_field(BulkItemStatus, default=BulkItemStatus.PENDING)
    error: str | None = Field(default=None, sa_type=Text)
    finished_at: datetime | None = timestamp_field()
