"""What the client services share: loading with a row lock, validation with a prefix, diffs."""

from decimal import Decimal
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel

from billing_app.errors import NotFound
from billing_app.models.clients import Client
from billing_app.models.users import User
from billing_app.services.audit import audit_record


def client_for_update(session: Session, client_id: int) -> Client:
    """The client, locked until commit so concurrent changes to its contacts cannot interleave."""
    client = session.get(Client, client_id, with_for_update=True)
    if client is None:
        raise NotFound("That client does not exist.")
    return client


def plain(value: Any) -> Any:
    """A JSON-safe copy of a column value for the audit log."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(row: SQLModel, fields) -> dict[str, Any]:
    return {name: plain(getattr(row, name)) for name in fields}


def apply_changes(row: SQLModel, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the values that differ; return {field: {"old": ..., "new": ...}} for the audit log."""
    changes = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changes[name] = {"old": plain(old), "new": plain(new)}
            setattr(row, name, new)
    return changes


def audit_client(session: Session, actor: User, action: str, client_id: int, details: dict) -> None:
    audit_record(session, actor=actor, action=f"client.{action}", entity_type="client",
                 entity_id=client_id, details=details)
