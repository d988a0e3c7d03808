from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlmodel import Field, SQLModel

from billing_app.models.base import AwareDateTime, utcnow


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False, index=True)
    actor_user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    action: str = Field(sa_type=String(60), nullable=False)
    entity_type: str = Field(sa_type=String(40), nullable=False)
    entity_id: str | None = Field(default=None, sa_type=String(40))
    details: dict[str, Any] | None = Field(default=None, sa_type=JSON)
