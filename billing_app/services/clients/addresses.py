"""A client's billing and shipping address (at most one of each)."""

from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.clients import Address, AddressIn, AddressKind
from billing_app.models.users import User
from billing_app.services.clients._common import (
    apply_changes,
    audit_client,
    client_for_update,
    snapshot,
)
from billing_app.services.validation import validated

ADDRESS_FIELDS = tuple(name for name in AddressIn.model_fields if name != "kind")


def _kind(kind: str) -> AddressKind:
    try:
        return AddressKind(kind)
    except ValueError:
        raise ValidationFailed("Choose a billing or a shipping address.", field="kind") from None


def _address(session: Session, client_id: int, kind: AddressKind) -> Address | None:
    return session.exec(
        select(Address).where(Address.client_id == client_id, Address.kind == kind)
    ).first()


def address_set(
    session: Session, *, actor: User, client_id: int, kind: str, data: dict
) -> Address:
    """Create or replace the client's address of this kind with `data` (all of its fields)."""
    require(actor, Action.CLIENTS_WRITE)
    kind = _kind(kind)
    payload = validated(AddressIn, {**data, "kind": kind})
    client_for_update(session, client_id)
    address = _address(session, client_id, kind)
    values = payload.model_dump(exclude={"kind"})
    if address is None:
        address = Address(client_id=client_id, kind=kind, **values)
        changes = {"created": values}
    else:
        changes = apply_changes(address, values)
    if changes:
        session.add(address)
        session.flush()
        audit_client(session, actor, "address_set", client_id, {"kind": kind.value, **changes})
    return address


def address_remove(session: Session, *, actor: User, client_id: int, kind: str) -> None:
    require(actor, Action.CLIENTS_WRITE)
    kind = _kind(kind)
    client_for_update(session, client_id)
    address = _address(session, client_id, kind)
    if address is None:
        raise NotFound(f"This client has no {kind.value} address.")
    removed = snapshot(address, ADDRESS_FIELDS)
    session.delete(address)
    session.flush()
    audit_client(session, actor, "address_remove", client_id, {"kind": kind.value, **removed})
