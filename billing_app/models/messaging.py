from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.base import (
    AwareDateTime,
    created_at_field,
    enum_field,
    timestamp_field,
    updated_at_field,
)


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def outbox_status_label(status: str | None) -> str:
    """The word a person reads for a stored status; an unknown one as it is."""
    known = {member.value: member.label for member in OutboxStatus}
    return known.get(status or "", status or "")


class EmailOutbox(SQLModel, table=True):
    """Every email the product sends is written here first, in the same transaction as its cause."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        Index("ix_email_outbox_status_created", "status", "created_at"),
        Index("ix_email_outbox_status_next_attempt", "status", "next_attempt_at"),  # the sweep
    )

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(sa_type=String(254), nullable=False)
    subject: str = Field(sa_type=String(300), nullable=False)
    body_text: str = Field(sa_type=Text, nullable=False)
    body_html: str | None = Field(default=None, sa_type=Text)
    kind: str = Field(sa_type=String(30), nullable=False)  # invoice, reminder, payment_receipt ...
    invoice_id: int | None = Field(default=None, foreign_key="invoices.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    client_id: int | None = Field(default=None, foreign_key="clients.id", index=True)
    status: OutboxStatus = enum_field(OutboxStatus, default=OutboxStatus.QUEUED)
    attempts: int = Field(default=0, nullable=False)
    last_error: str | None = Field(default=None, sa_type=Text)
    next_attempt_at: datetime | None = timestamp_field()  # None: at once
    claimed_at: datetime | None = timestamp_field()  # when a worker took it ('sending')
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()


class EmailAttachment(SQLModel, table=True):
    """A kept PDF attached to an email: the worker attaches the stored bytes, never a re-render."""

    __tablename__ = "email_attachments"

    email_id: int = Field(foreign_key="email_outbox.id", primary_key=True)
    sent_document_id: int = Field(foreign_key="sent_documents.id", primary_key=True)


class EmailTemplate(SQLModel, table=True):
    """An admin's edit of one email template; a key without a row uses the file default."""

    __tablename__ = "email_templates"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(60), nullable=False, unique=True)
    subject: str = Field(sa_type=String(300), nullable=False)
    body_text: str = Field(sa_type=Text, nullable=False)
    body_html: str = Field(sa_type=Text, nullable=False)
    updated_at: datetime = updated_at_field()
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class ReminderSent(SQLModel, table=True):
    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("invoice_id", "level"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoices.id", nullable=False)
    level: int = Field(nullable=False)
    outbox_id: int | None = Field(default=None, foreign_key="email_outbox.id")
    sent_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
