"""Steps shared by the services that edit settings and catalogue records."""

from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.validation import validated

M = TypeVar("M", bound=BaseModel)


def validated_update(model: type[M], row: object, data: dict) -> M:
    """The shape validated from the row's current values with `data` laid over them."""
    current = {name: getattr(row, name) for name in model.model_fields}
    return validated(model, {**current, **data})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 7.0000 as loaded and 7 as typed read the same
    return value


def _apply_changes(row: object, payload: BaseModel) -> dict[str, dict[str, Any]]:
    """Copy the payload onto the row; return {field: {"from": old, "to": new}} of what changed."""
    changes = {}
    for name, new in payload.model_dump().items():
        old = getattr(row, name)
        if old != new:
            changes[name] = {"from": _plain(old), "to": _plain(new)}
            setattr(row, name, new)
    return changes


def save_new(session: Session, *, actor: User, row: SQLModel, entity_type: str, details: dict) -> None:
    """Insert the row, audited as "<entity_type>.create"."""
    session.add(row)
    session.flush()
    audit_record(session, actor=actor, action=f"{entity_type}.create", entity_type=entity_type,
                 entity_id=row.id, details=details)
    session.flush()


def save_changes(session: Session, *, actor: User, row: SQLModel, payload: BaseModel,
                 entity_type: str, details: dict | None = None) -> None:
    """Write what the payload changes on the row, audited as "<entity_type>.update" with old -> new.

    An unchanged form writes nothing.
    """
    changes = _apply_changes(row, payload)
    if changes:
        session.add(row)
        audit_record(session, actor=actor, action=f"{entity_type}.update", entity_type=entity_type,
                     entity_id=row.id, details={"changes": changes, **(details or {})})
        session.flush()


def value_taken(session: Session, column, value: str, *, exclude_id: int | None) -> bool:
    """Whether another row has this value in the column, ignoring case."""
    model = column.class_
    query = select(func.count()).select_from(model).where(func.lower(column) == value.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return session.exec(query).one() > 0


def set_active(session: Session, *, actor: User, row: SQLModel, active: bool, entity_type: str) -> None:
    """Activate or deactivate a record (records in use are never deleted), with its audit entry."""
    if row.is_active == active:
        return
    row.is_active = active
    session.add(row)
    audit_record(session, actor=actor, action=f"{entity_type}.{'activate' if active else 'deactivate'}",
                 entity_type=entity_type, entity_id=row.id)
    session.flush()
