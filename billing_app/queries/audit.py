from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.models.audit import AuditLog
from billing_app.models.users import User


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    entity: str
    details: dict | None


def audit_page(session: Session, *, actor: User, offset: int = 0, limit: int = 50) -> tuple[list[AuditRow], int]:
    require(actor, Action.AUDIT_READ)
    total = session.exec(select(func.count()).select_from(AuditLog)).one()
    rows = session.exec(
        select(AuditLog, User.name)
        .outerjoin(User, User.id == AuditLog.actor_user_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        AuditRow(entry.at, name or "System", entry.action,
                 f"{entry.entity_type} {entry.entity_id or ''}".strip(), entry.details)
        for entry, name in rows
    ], total


def audit_export_query(*, actor: User):
    """The whole log, newest first, for an export to stream: (at, who, action, entity type,
    entity id, details)."""
    require(actor, Action.AUDIT_READ)
    return (
        select(AuditLog.at, func.coalesce(User.name, "System"), AuditLog.action,
               AuditLog.entity_type, AuditLog.entity_id, AuditLog.details)
        .outerjoin(User, User.id == AuditLog.actor_user_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
