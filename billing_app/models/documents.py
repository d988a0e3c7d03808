"""Kept copies of the PDFs that left the system: their bytes live in the file store, by hash."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from billing_app.models.base import created_at_field, enum_field


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    RECEIPT = "receipt"
    STATEMENT = "statement"


class SentDocument(SQLModel, table=True):
    """One PDF as it was sent; `sha256` names its file under data_dir/documents/."""

    __tablename__ = "sent_documents"
    __table_args__ = (CheckConstraint("size >= 0", name="size_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: DocumentKind = enum_field(DocumentKind)
    invoice_id: int | None = Field(default=None, foreign_key="invoices.id", index=True)
    credit_note_id: int | None = Field(default=None, foreign_key="credit_notes.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    client_id: int | None = Field(default=None, foreign_key="clients.id", index=True)
    filename: str = Field(sa_type=String(200), nullable=False)
    sha256: str = Field(sa_type=String(64), nullable=False)
    size: int = Field(nullable=False)
    created_at: datetime = created_at_field()
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
