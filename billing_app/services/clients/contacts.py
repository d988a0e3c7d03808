"""A client's contacts. When a client has contacts, exactly one of them is the primary contact."""

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.clients import Contact, ContactIn
from billing_app.models.users import User
from billing_app.services.clients._common import (
    apply_changes,
    audit_client,
    client_for_update,
    snapshot,
)
from billing_app.services.validation import validated

CONTACT_FIELDS = tuple(name for name in ContactIn.model_fields if name != "is_primary")


def _contact(session: Session, client_id: int, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.client_id != client_id:
        raise NotFound("That contact does not exist.")
    return contact


def _primary(session: Session, client_id: int) -> Contact | None:
    return session.exec(
        select(Contact).where(Contact.client_id == client_id, Contact.is_primary)
    ).first()


def _make_primary(session: Session, contact: Contact) -> int | None:
    """Move the primary mark to `contact`; return the id of the contact that had it."""
    current = _primary(session, contact.client_id)
    if current is not None and current.id != contact.id:
        current.is_primary = False
        session.add(current)
        session.flush()  # one primary per client is a unique index: demote before promoting
    contact.is_primary = True
    session.add(contact)
    session.flush()
    return None if current is None else current.id


def contact_add(session: Session, *, actor: User, client_id: int, data: dict) -> Contact:
    """Add a contact; it becomes the primary one if marked so or if it is the first."""
    require(actor, Action.CLIENTS_WRITE)
    item = validated(ContactIn, data)
    client_for_update(session, client_id)
    contact = Contact(client_id=client_id, **item.model_dump(exclude={"is_primary"}))
    session.add(contact)
    session.flush()
    if item.is_primary or _primary(session, client_id) is None:
        _make_primary(session, contact)
    audit_client(session, actor, "contact_add", client_id,
                 {"contact_id": contact.id, **snapshot(contact, (*CONTACT_FIELDS, "is_primary"))})
    return contact


def contact_update(
    session: Session, *, actor: User, client_id: int, contact_id: int, data: dict
) -> Contact:
    """Change the fields given in `data`. `is_primary: True` makes this the primary contact."""
    require(actor, Action.CLIENTS_WRITE)
    client_for_update(session, client_id)
    contact = _contact(session, client_id, contact_id)
    current = snapshot(contact, (*CONTACT_FIELDS, "is_primary"))
    payload = validated(ContactIn, {**current, **data})
    if contact.is_primary and not payload.is_primary:
        raise Conflict("Make another contact the primary contact first.", field="is_primary")
    changes = apply_changes(contact, payload.model_dump(exclude={"is_primary"}))
    if payload.is_primary and not contact.is_primary:
        _make_primary(session, contact)
        changes["is_primary"] = {"old": False, "new": True}
    if changes:
        session.add(contact)
        session.flush()
        audit_client(session, actor, "contact_update", client_id,
                     {"contact_id": contact.id, **changes})
    return contact


def contact_make_primary(session: Session, *, actor: User, client_id: int, contact_id: int) -> Contact:
    require(actor, Action.CLIENTS_WRITE)
    client_for_update(session, client_id)
    contact = _contact(session, client_id, contact_id)
    if not contact.is_primary:
        previous = _make_primary(session, contact)
        audit_client(session, actor, "contact_make_primary", client_id,
                     {"contact_id": contact.id, "previous_primary_id": previous})
    return contact


def contact_remove(
    session: Session, *, actor: User, client_id: int, contact_id: int,
    new_primary_id: int | None = None,
) -> None:
    """Delete a contact. The primary one goes only if it is the last or `new_primary_id` is given."""
    require(actor, Action.CLIENTS_WRITE)
    client_for_update(session, client_id)
    contact = _contact(session, client_id, contact_id)
    successor = None
    if new_primary_id is not None:
        if new_primary_id == contact_id:
            raise ValidationFailed("Choose a different contact as the new primary contact.",
                                   field="new_primary_id")
        successor = _contact(session, client_id, new_primary_id)
    elif contact.is_primary and _count_contacts(session, client_id) > 1:
        raise Conflict("Make another contact the primary contact before removing this one.")
    removed = {"contact_id": contact.id, **snapshot(contact, (*CONTACT_FIELDS, "is_primary"))}
    session.delete(contact)
    session.flush()
    if successor is not None:
        _make_primary(session, successor)
        removed["new_primary_id"] = successor.id
    audit_client(session, actor, "contact_remove", client_id, removed)


def _count_contacts(session: Session, client_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Contact).where(Contact.client_id == client_id)
    ).one()
