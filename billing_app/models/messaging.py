from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.base import AwareDateTime, created_at_field, enum_field, timestamp_field


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class EmailOutbox(SQLModel, table=True):
    """Every email the product sends is written here first, in the same transaction as its cause."""

    __tablename__ = "email_outbox"
    __table_args__ = (Index("ix_email_outbox_status_created", "status", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(sa_type=String(254), nullable=False)
    subject: str = Field(sa_type=String(300), nullable=False)
    body_text: str = Field(sa_type=Text, nullable=False)
    body_html: str | None = Field(default=None, sa_type=Text)
    kind: str = Field(sa_type=String(30), nullable=False)  # invoice, reminder, payment_receipt ...
    invoice_id: int | None = Field(default=None, foreign_key="invoices.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payments.id")
    status: OutboxStatus = enum_field(OutboxStatus, default=OutboxStatus.QUEUED)
    attempts: int = Field(default=0, nullable=False)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()


class ReminderSent(SQLModel, table=True):
    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("invoice_id", "level"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoices.id", nullable=False)
    level: int = Field(nullable=False)
    outbox_id: int | None = Field(default=None, foreign_key="email_outbox.id")
    sent_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
