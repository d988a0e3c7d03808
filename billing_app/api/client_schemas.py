"""Request and response shapes of /clients."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, create_model

from billing_app.api.shapes import (
    CURRENCY_DECIMALS,
    AmountsAsText,
    amount_text,
    attributes,
    decimal_text,
    partial,
)
from billing_app.models.clients import (
    AddressIn,
    AddressKind,
    Client,
    ClientCreate,
    ClientKind,
    ClientUpdate,
    ContactIn,
)
from billing_app.queries.clients import ClientDetail, ClientFigures, ClientRow

# --- requests ----------------------------------------------------------------------------------

MAX_CONTACTS = 50


class ClientCreateBody(AmountsAsText, ClientCreate):
    """A client; currency and payment terms left out come from the company settings."""

    contacts: list[ContactIn] = Field(default_factory=list, max_length=MAX_CONTACTS,
                                      description="The one marked is_primary, else the first, "
                                                  "is the primary contact.")
    addresses: list[AddressIn] = Field(default_factory=list, max_length=len(AddressKind),
                                       description="At most one address of each kind.")

    amounts = ("credit_limit",)
    amount_rules = {"credit_limit": {"description": CURRENCY_DECIMALS}}


class ClientPatch(AmountsAsText, ClientUpdate):
    """The fields to change; the others keep their value."""

    amounts = ("credit_limit",)
    amount_rules = {"credit_limit": {"description": CURRENCY_DECIMALS}}


ContactPatch = partial(ContactIn)


class AnonymiseBody(BaseModel):
    """The client's current name, typed to confirm: anonymising cannot be undone."""

    model_config = ConfigDict(extra="forbid")
    confirm_name: str = Field(min_length=1, max_length=200)


AddressBody = create_model(
    "AddressBody", __config__=ConfigDict(extra="forbid"),
    **{name: (info.annotation, info) for name, info in AddressIn.model_fields.items()
       if name != "kind"},
)
"""An address; its kind is in the path."""


# --- responses ---------------------------------------------------------------------------------

class _FromRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ContactOut(_FromRow):
    id: int
    name: str
    email: str | None
    phone: str | None
    job_title: str | None
    is_primary: bool


class AddressOut(_FromRow):
    kind: AddressKind
    line1: str
    line2: str | None
    postal_code: str | None
    city: str | None
    region: str | None
    country: str


class FiguresOut(BaseModel):
    """Money figures in the client's currency."""

    currency: str
    total_invoiced: str
    paid: str
    outstanding: str
    overdue: str
    credit_available: str | None = Field(description="Negative when over the limit; null "
                                                     "without a credit limit.")
    average_days_to_pay: str | None

    @classmethod
    def of(cls, figures: ClientFigures) -> "FiguresOut":
        def money(value):
            return amount_text(value, figures.currency)

        return cls(currency=figures.currency, total_invoiced=money(figures.total_invoiced),
                   paid=money(figures.paid), outstanding=money(figures.outstanding),
                   overdue=money(figures.overdue), credit_available=money(figures.credit_available),
                   average_days_to_pay=decimal_text(figures.average_days_to_pay))


class ClientOut(BaseModel):
    id: int
    kind: ClientKind
    name: str
    email: str | None
    phone: str | None
    tax_id: str | None
    currency: str
    payment_terms_days: int
    credit_limit: str | None
    notes: str | None
    document_language: str | None = Field(description="The language of the client's PDFs; "
                                                      "null: the company's.")
    is_archived: bool
    created_at: datetime
    updated_at: datetime
    contacts: list[ContactOut] = Field(description="The primary contact first.")
    addresses: list[AddressOut]
    figures: FiguresOut

    @classmethod
    def of(cls, detail: ClientDetail) -> "ClientOut":
        client: Client = detail.client
        return cls.model_validate({
            **attributes(client, cls),
            "credit_limit": amount_text(client.credit_limit, client.currency),
            "contacts": [ContactOut.model_validate(contact) for contact in detail.contacts],
            "addresses": [AddressOut.model_validate(address) for address in detail.addresses],
            "figures": FiguresOut.of(detail.figures),
        })


class ClientListItem(BaseModel):
    id: int
    name: str
    kind: ClientKind
    email: str | None
    tax_id: str | None
    currency: str
    is_archived: bool
    outstanding: str
    overdue: str

    @classmethod
    def of(cls, row: ClientRow) -> "ClientListItem":
        return cls(id=row.id, name=row.name, kind=row.kind, email=row.email, tax_id=row.tax_id,
                   currency=row.currency, is_archived=row.is_archived,
                   outstanding=amount_text(row.outstanding, row.currency),
                   overdue=amount_text(row.overdue, row.currency))
