"""Clients, their contacts and addresses: the tables and the shapes services accept."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    ValidationInfo,
    field_validator,
)
from pydantic import Field as PydanticField
from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from billing_app.domain.documents import LANGUAGES as DOCUMENT_LANGUAGES
from billing_app.domain.money import minor_unit, minor_units, parse_money
from billing_app.models.inputs import DELIVERABLE_EMAIL, CountryCode, CurrencyCode, optional_text
from billing_app.models.inputs import text as required_text
from billing_app.models.base import (
    MONEY,
    created_at_field,
    currency_field,
    enum_field,
    timestamp_field,
    updated_at_field,
)


class ClientKind(StrEnum):
    COMPANY = "company"
    INDIVIDUAL = "individual"


class AddressKind(StrEnum):
    BILLING = "billing"
    SHIPPING = "shipping"


def search_index(table: str, column: str) -> Index:
    """For `ILIKE '%text%'`: a trigram index on PostgreSQL (pg_trgm), a plain one elsewhere."""
    return Index(f"ix_{table}_{column}_search", column, postgresql_using="gin",
                 postgresql_ops={column: "gin_trgm_ops"})


class Client(SQLModel, table=True):
    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("payment_terms_days >= 0", name="terms_not_negative"),
        CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="credit_limit_not_negative"),
        Index("ix_clients_archived_lower_name", "is_archived", text("lower(name)")),
        Index("ix_clients_archived_created_at", "is_archived", "created_at"),
        search_index("clients", "name"),
        search_index("clients", "email"),
        search_index("clients", "tax_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ClientKind = enum_field(ClientKind, default=ClientKind.COMPANY)
    name: str = Field(sa_type=String(200), nullable=False)
    email: str | None = Field(default=None, sa_type=String(254))
    phone: str | None = Field(default=None, sa_type=String(50))
    tax_id: str | None = Field(default=None, sa_type=String(50))
    currency: str = currency_field()
    payment_terms_days: int = Field(default=30, nullable=False)
    credit_limit: Decimal | None = Field(default=None, sa_type=MONEY, nullable=True)
    notes: str | None = Field(default=None, sa_type=String(5000))
    document_language: str | None = Field(default=None, sa_type=String(10))
    """The language of this client's PDFs; None: the company's."""
    is_archived: bool = Field(default=False, nullable=False)
    # no reminders for any of the client's invoices while set (e.g. a dispute)
    reminders_paused_at: datetime | None = timestamp_field()
    reminders_pause_reason: str | None = Field(default=None, sa_type=String(500))
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"
    __table_args__ = (
        Index(
            "uq_contacts_one_primary",
            "client_id",
            unique=True,
            postgresql_where=text("is_primary"),
            sqlite_where=text("is_primary"),
        ),
        search_index("contacts", "email"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", index=True, nullable=False)
    name: str = Field(sa_type=String(200), nullable=False)
    email: str | None = Field(default=None, sa_type=String(254))
    phone: str | None = Field(default=None, sa_type=String(50))
    job_title: str | None = Field(default=None, sa_type=String(100))
    is_primary: bool = Field(default=False, nullable=False)
    created_at: datetime = created_at_field()


class Address(SQLModel, table=True):
    __tablename__ = "addresses"
    __table_args__ = (UniqueConstraint("client_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", nullable=False)
    kind: AddressKind = enum_field(AddressKind, default=AddressKind.BILLING)
    line1: str = Field(sa_type=String(200), nullable=False)
    line2: str | None = Field(default=None, sa_type=String(200))
    postal_code: str | None = Field(default=None, sa_type=String(20))
    city: str | None = Field(default=None, sa_type=String(100))
    region: str | None = Field(default=None, sa_type=String(100))
    country: str | None = Field(default=None, sa_type=String(2))


# --- Shapes the client services accept -------------------------------------------------------
# Text is stripped and blank optional text becomes None, so a form's empty input clears a field.

MAX_CREDIT_LIMIT = Decimal(10) ** 15  # NUMERIC(19,4) holds 15 integer digits


def _optional(value):
    value = value.strip() if isinstance(value, str) else value
    return None if value == "" else value


def _amount_or_none(value):
    """An amount from a form (text) or from code (Decimal, int); floats are not exact: refused."""
    value = _optional(value)
    if value is None:
        return None
    if isinstance(value, str):
        amount = parse_money(value)
    elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        raise ValueError("write the amount as text, like 5000.00.")
    if not amount.is_finite():
        raise ValueError("write the amount as a number, like 5000.00.")
    if amount < 0:
        raise ValueError("the amount cannot be negative.")
    if amount >= MAX_CREDIT_LIMIT:
        raise ValueError("the amount is too large.")
    return amount


def _document_language(value):
    language = _optional(value)
    if language is not None and language not in DOCUMENT_LANGUAGES:
        raise ValueError(f"choose a document language: {', '.join(DOCUMENT_LANGUAGES)}, or none "
                         "for the company's.")
    return language


def _terms_days(value: int) -> int:
    if not 0 <= value <= 365:
        raise ValueError("must be between 0 and 365 days.")
    return value


Name = required_text(200)
OptionalEmail = Annotated[EmailStr | None, BeforeValidator(_optional),  # at most 254 characters
                          PydanticField(description=DELIVERABLE_EMAIL)]
Amount = Annotated[Decimal | None, BeforeValidator(_amount_or_none)]
TermsDays = Annotated[int, BeforeValidator(_optional), AfterValidator(_terms_days),
                     PydanticField(json_schema_extra={"minimum": 0, "maximum": 365})]
DocumentLanguage = Annotated[str | None, BeforeValidator(_document_language),
                             PydanticField(json_schema_extra={"enum": [*DOCUMENT_LANGUAGES, None]})]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClientUpdate(_Shape):
    """A partial change: only the fields given change; the service checks the merged result."""

    kind: ClientKind | None = None
    name: Name | None = None
    email: OptionalEmail = None
    phone: optional_text(50) = None
    tax_id: optional_text(50) = None
    currency: CurrencyCode | None = None
    payment_terms_days: TermsDays | None = None
    credit_limit: Amount = None
    notes: optional_text(5000) = None
    document_language: DocumentLanguage = None


class ClientCreate(ClientUpdate):
    kind: ClientKind = ClientKind.COMPANY
    name: Name
    currency: CurrencyCode = "EUR"
    payment_terms_days: TermsDays = 30

    @field_validator("credit_limit")
    @classmethod
    def _limit_fits_currency(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        currency = info.data.get("currency")  # absent when the currency itself was invalid
        if value is None or not currency:
            return value
        rounded = value.quantize(minor_unit(currency))
        if rounded != value:
            places = minor_units(currency)
            raise ValueError(f"{currency} amounts have {places or 'no'} decimal{'s' * (places != 1)}.")
        return rounded


class ContactIn(_Shape):
    name: Name
    email: OptionalEmail = None
    phone: optional_text(50) = None
    job_title: optional_text(100) = None
    is_primary: bool = False


class AddressIn(_Shape):
    kind: AddressKind
    line1: required_text(200)
    line2: optional_text(200) = None
    postal_code: optional_text(20) = None
    city: optional_text(100) = None
    region: optional_text(100) = None
    country: CountryCode
