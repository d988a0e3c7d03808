"""Clients with their contacts, addresses, money figures and invoice history."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, status
from fastapi.responses import Response
from sqlmodel import Session

from billing_app.api.client_schemas import (
    AddressBody,
    AddressOut,
    AnonymiseBody,
    ClientCreateBody,
    ClientListItem,
    ClientOut,
    ClientPatch,
    ContactOut,
    ContactPatch,
)
from billing_app.api.deps import DbSession, requires
from billing_app.api.downloads import zip_download
from billing_app.api.invoice_schemas import InvoicePageOut
from billing_app.api.schemas import DbId, Limit, Offset, Page, Search
from billing_app.auth.permissions import Action
from billing_app.models.clients import AddressKind, ClientKind, ContactIn
from billing_app.models.users import User
from billing_app.queries.clients import SORTS as CLIENT_SORTS
from billing_app.queries.clients import client_detail, client_invoices_page, clients_page
from billing_app.services.clients import (
    address_remove,
    address_set,
    client_archive,
    client_create,
    client_restore,
    client_update,
    contact_add,
    contact_make_primary,
    contact_remove,
    contact_update,
)
from billing_app.services.clients.privacy import client_anonymise, client_data_export

router = APIRouter(prefix="/clients", tags=["clients"])

Reader = Annotated[User, Depends(requires(Action.CLIENTS_READ))]
Writer = Annotated[User, Depends(requires(Action.CLIENTS_WRITE))]
PrivacyOfficer = Annotated[User, Depends(requires(Action.CLIENT_PRIVACY))]
ClientId = Annotated[DbId, Path()]
ContactId = Annotated[DbId, Path()]
_ARCHIVED = {"false": False, "true": True, "all": None}


def _client(session: Session, actor: User, client_id: int) -> ClientOut:
    return ClientOut.of(client_detail(session, actor=actor, client_id=client_id))


@router.get("")
def clients_list(
    session: DbSession,
    actor: Reader,
    offset: Offset = 0,
    limit: Limit = 25,
    search: Search = "",
    kind: ClientKind | None = None,
    archived: Annotated[Literal["false", "true", "all"], Query(
        description="false: active clients only; true: archived only; all: both.")] = "false",
    has_overdue: Annotated[bool | None, Query(
        description="true: only clients with an overdue balance; false: only those without.")]
    = None,
    sort: Annotated[Literal[CLIENT_SORTS], Query(description=(
        "name, created or outstanding; a leading - reverses it."))] = "name",
) -> Page[ClientListItem]:
    """Clients with their open and overdue balance; search matches name, email, tax id and
    contacts' emails."""
    rows, total = clients_page(session, actor=actor, search=search, kind=kind,
                               archived=_ARCHIVED[archived], has_overdue=has_overdue, sort=sort,
                               offset=offset, limit=limit)
    items = [ClientListItem.of(row) for row in rows]
    return Page[ClientListItem](items=items, total=total, offset=offset, limit=limit)


@router.post("", status_code=status.HTTP_201_CREATED, responses={409: {
    "description": "possible_duplicate: a client with the same name (whatever the case and spaces) "
                   "or tax ID exists; `field` says which. Send allow_duplicate=true to create it anyway."}})
def clients_create(body: ClientCreateBody, session: DbSession, actor: Writer,
                   allow_duplicate: Annotated[bool, Query(
                       description="Create the client even if one with the same name or tax ID "
                                   "exists (else 409 possible_duplicate).")] = False) -> ClientOut:
    data = body.model_dump(exclude_unset=True, exclude={"contacts", "addresses"})
    client = client_create(
        session, actor=actor, data=data,
        contacts=[contact.model_dump(exclude_unset=True) for contact in body.contacts],
        addresses=[address.model_dump(exclude_unset=True) for address in body.addresses],
        allow_duplicate=allow_duplicate)
    return _client(session, actor, client.id)


@router.get("/{client_id}")
def clients_get(client_id: ClientId, session: DbSession, actor: Reader) -> ClientOut:
    """The client (archived ones too) with its contacts, addresses and money figures."""
    return _client(session, actor, client_id)


@router.patch("/{client_id}")
def clients_update(client_id: ClientId, body: ClientPatch, session: DbSession,
                   actor: Writer) -> ClientOut:
    client_update(session, actor=actor, client_id=client_id,
                  data=body.model_dump(exclude_unset=True))
    return _client(session, actor, client_id)


@router.post("/{client_id}/archive")
def clients_archive(client_id: ClientId, session: DbSession, actor: Writer) -> ClientOut:
    """Hide the client from lists and new invoices; its invoices and payments stay."""
    client_archive(session, actor=actor, client_id=client_id)
    return _client(session, actor, client_id)


@router.post("/{client_id}/restore")
def clients_restore(client_id: ClientId, session: DbSession, actor: Writer) -> ClientOut:
    client_restore(session, actor=actor, client_id=client_id)
    return _client(session, actor, client_id)


@router.get("/{client_id}/invoices")
def clients_invoices(client_id: ClientId, session: DbSession, actor: Reader,
                     offset: Offset = 0, limit: Limit = 25) -> InvoicePageOut:
    """The client's invoices, drafts included, newest first, with sums per currency."""
    page = client_invoices_page(session, actor=actor, client_id=client_id, offset=offset,
                                limit=limit)
    return InvoicePageOut.of(page, offset=offset, limit=limit)


# --- contacts ----------------------------------------------------------------------------------

@router.post("/{client_id}/contacts", status_code=status.HTTP_201_CREATED)
def contacts_add(client_id: ClientId, body: ContactIn, session: DbSession,
                 actor: Writer) -> ContactOut:
    """Add a contact; it becomes the primary one if marked so or if it is the first."""
    contact = contact_add(session, actor=actor, client_id=client_id,
                          data=body.model_dump(exclude_unset=True))
    return ContactOut.model_validate(contact)


@router.patch("/{client_id}/contacts/{contact_id}")
def contacts_update(client_id: ClientId, contact_id: ContactId, body: ContactPatch,
                    session: DbSession, actor: Writer) -> ContactOut:
    contact = contact_update(session, actor=actor, client_id=client_id, contact_id=contact_id,
                             data=body.model_dump(exclude_unset=True))
    return ContactOut.model_validate(contact)


@router.delete("/{client_id}/contacts/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
def contacts_remove(
    client_id: ClientId, contact_id: ContactId, session: DbSession, actor: Writer,
    new_primary_id: Annotated[DbId | None, Query(
        description="Needed to remove the primary contact while others remain.")] = None,
) -> None:
    contact_remove(session, actor=actor, client_id=client_id, contact_id=contact_id,
                   new_primary_id=new_primary_id)


@router.post("/{client_id}/contacts/{contact_id}/make-primary")
def contacts_make_primary(client_id: ClientId, contact_id: ContactId, session: DbSession,
                          actor: Writer) -> ContactOut:
    contact = contact_make_primary(session, actor=actor, client_id=client_id,
                                   contact_id=contact_id)
    return ContactOut.model_validate(contact)


# --- addresses ---------------------------------------------------------------------------------

@router.put("/{client_id}/addresses/{kind}")
def addresses_set(client_id: ClientId, kind: AddressKind, body: AddressBody,
                  session: DbSession, actor: Writer) -> AddressOut:
    """Create or replace the client's billing or shipping address."""
    address = address_set(session, actor=actor, client_id=client_id, kind=kind,
                          data=body.model_dump(exclude_unset=True))
    return AddressOut.model_validate(address)


@router.delete("/{client_id}/addresses/{kind}", status_code=status.HTTP_204_NO_CONTENT)
def addresses_remove(client_id: ClientId, kind: AddressKind, session: DbSession,
                     actor: Writer) -> None:
    address_remove(session, actor=actor, client_id=client_id, kind=kind)


@router.get("/{client_id}/export", response_class=Response, responses={
    200: {"content": {"application/zip": {}},
          "description": "client.json (everything stored about the client) and its sent PDFs."}})
def clients_export(client_id: ClientId, session: DbSession, actor: PrivacyOfficer) -> Response:
    """GDPR: everything stored about the client, as a zip (admins only; audited)."""
    return zip_download(*client_data_export(session, actor=actor, client_id=client_id))


@router.post("/{client_id}/anonymise")
def clients_anonymise(client_id: ClientId, body: AnonymiseBody, session: DbSession,
                      actor: PrivacyOfficer) -> ClientOut:
    """GDPR: replace the client's personal data with placeholders (admins only; cannot be
    undone). Invoices, payments and balances stay as they are."""
    client_anonymise(session, actor=actor, client_id=client_id, confirm_name=body.confirm_name)
    return _client(session, actor, client_id)
