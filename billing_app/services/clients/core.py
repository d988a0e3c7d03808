"""Creating, changing, archiving and restoring clients."""

from collections.abc import Sequence

from sqlmodel import Session, select

from billing_app.auth.permissions import Action, can, require
from billing_app.errors import Conflict, PermissionDenied, ValidationFailed
from billing_app.models.clients import (
    Address,
    AddressIn,
    Client,
    ClientCreate,
    ClientUpdate,
    Contact,
    ContactIn,
)
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.queries.clients import SameClient, client_outstanding, same_clients
from billing_app.queries.company import company_ensure
from billing_app.services.clients._common import (
    apply_changes,
    audit_client,
    client_for_update,
    plain,
)
from billing_app.services.validation import validated, validated_item

CLIENT_FIELDS = tuple(ClientCreate.model_fields)


class PossibleDuplicate(Conflict):
    """A client with the same name (whatever the case and spaces) or tax id exists already;
    client_create makes the new one only with allow_duplicate."""

    def __init__(self, existing: SameClient) -> None:
        what = "name" if existing.field == "name" else "tax ID"
        super().__init__(f"{existing.name} (client #{existing.id}) has the same {what}. Open it, or "
                         "create this client anyway if it is a different one.", field=existing.field)
        self.existing = existing


def _contacts_in(contacts: Sequence[dict]) -> list[ContactIn]:
    """Validated contacts with exactly one primary: the first one unless another is marked."""
    items = [validated_item(ContactIn, data, field="contacts", position=n, label=f"Contact {n + 1}")
             for n, data in enumerate(contacts)]
    marked = [item for item in items if item.is_primary]
    if len(marked) > 1:
        raise ValidationFailed("Mark only one contact as the primary contact.", field="contacts")
    if items and not marked:
        items[0].is_primary = True
    return items


def _addresses_in(addresses: Sequence[dict]) -> list[AddressIn]:
    items = [validated_item(AddressIn, data, field="addresses", position=n,
                            label=f"{str(data.get('kind') or 'billing').capitalize()} address")
             for n, data in enumerate(addresses)]
    kinds = [item.kind for item in items]
    if len(kinds) != len(set(kinds)):
        raise ValidationFailed("A client has at most one billing and one shipping address.",
                               field="addresses")
    return items


def _with_company_defaults(session: Session, data: dict) -> dict:
    """Currency and payment terms left out (or blank) come from the company's settings."""
    company = company_ensure(session)
    defaults = {"currency": company.default_currency,
                "payment_terms_days": company.default_payment_terms_days}
    return {**data, **{key: value for key, value in defaults.items() if data.get(key) in (None, "")}}


def client_create(
    session: Session, *, actor: User, data: dict, contacts: Sequence[dict] = (),
    addresses: Sequence[dict] = (), allow_duplicate: bool = False,
) -> Client:
    """A new client with its contacts and addresses; everything is checked before writing.

    Contacts: the one marked is_primary is the primary contact, else the first one.
    A client of the same name or tax id is refused (PossibleDuplicate) unless allow_duplicate.
    """
    require(actor, Action.CLIENTS_WRITE)
    payload = validated(ClientCreate, _with_company_defaults(session, data))
    contact_items = _contacts_in(contacts)
    address_items = _addresses_in(addresses)
    if not allow_duplicate and (same := same_clients(session, name=payload.name, tax_id=payload.tax_id)):
        raise PossibleDuplicate(same[0])
    client = Client(**payload.model_dump())
    session.add(client)
    session.flush()
    session.add_all([Contact(client_id=client.id, **item.model_dump()) for item in contact_items])
    session.add_all([Address(client_id=client.id, **item.model_dump()) for item in address_items])
    session.flush()
    audit_client(session, actor, "create", client.id, {
        **{name: plain(value) for name, value in payload.model_dump().items() if value is not None},
        "contacts": [item.name for item in contact_items],
        "addresses": [item.kind.value for item in address_items],
    })
    return client


def client_update(session: Session, *, actor: User, client_id: int, data: dict) -> Client:
    """Change the fields given in `data`; the audit entry lists each change as old and new."""
    require(actor, Action.CLIENTS_WRITE)
    changes = validated(ClientUpdate, data).model_dump(exclude_unset=True)
    client = client_for_update(session, client_id)
    current = {name: getattr(client, name) for name in CLIENT_FIELDS}
    payload = validated(ClientCreate, {**current, **changes})
    if payload.currency != client.currency and _has_invoices(session, client_id):
        raise Conflict("The currency cannot change once the client has invoices.", field="currency")
    if _loosens(client.credit_limit, payload.credit_limit) and \
            not can(actor.role, Action.CREDIT_LIMIT_OVERRIDE):
        raise PermissionDenied("Only an admin can raise or remove a credit limit.",
                               field="credit_limit")
    changed = apply_changes(client, payload.model_dump())
    if changed:
        session.add(client)
        session.flush()
        audit_client(session, actor, "update", client.id, changed)
    return client


def _loosens(current, new) -> bool:
    """Raising or removing a limit lets more be invoiced: the same power as overriding it."""
    return current is not None and (new is None or new > current)


def _has_invoices(session: Session, client_id: int) -> bool:
    first = session.exec(select(Invoice.id).where(Invoice.client_id == client_id).limit(1)).first()
    return first is not None


def client_archive(session: Session, *, actor: User, client_id: int) -> Client:
    """Hide the client from lists; its invoices and payments stay. Open invoices are noted."""
    require(actor, Action.CLIENTS_WRITE)
    client = client_for_update(session, client_id)
    if client.is_archived:
        raise Conflict("This client is already archived.")
    client.is_archived = True
    session.add(client)
    session.flush()
    open_balance = {cur: str(amount) for cur, amount in client_outstanding(session, client_id).items()}
    audit_client(session, actor, "archive", client.id,
                 {"open_balance": open_balance} if open_balance else {})
    return client


def client_restore(session: Session, *, actor: User, client_id: int) -> Client:
    require(actor, Action.CLIENTS_WRITE)
    client = client_for_update(session, client_id)
    if not client.is_archived:
        raise Conflict("This client is not archived.")
    client.is_archived = False
    session.add(client)
    session.flush()
    audit_client(session, actor, "restore", client.id, {})
    return client
