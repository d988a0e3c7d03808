from datetime import datetime

from sqlalchemy import LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.base import created_at_field


class IdempotencyRecord(SQLModel, table=True):
    """An API request sent with an Idempotency-Key and the answer it got, so a retry of it
    gets that answer instead of doing the work twice. A row without a status is in progress."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", nullable=False)
    key: str = Field(sa_type=String(255), nullable=False)
    request_hash: str = Field(sa_type=String(64), nullable=False)
    status_code: int | None = Field(default=None)
    response_body: bytes | None = Field(default=None, sa_type=LargeBinary)
    created_at: datetime = created_at_field()
