from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from billing_app.models.base import (
    MONEY,
    created_at_field,
    currency_field,
    enum_field,
    updated_at_field,
)


class ClientKind(StrEnum):
    COMPANY = "company"
    INDIVIDUAL = "individual"


class AddressKind(StrEnum):
    BILLING = "billing"
    SHIPPING = "shipping"


class Client(SQLModel, table=True):
    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("payment_terms_days >= 0", name="terms_not_negative"),
        CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="credit_limit_not_negative"),
        Index("ix_clients_archived_name", "is_archived", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ClientKind = enum_field(ClientKind, default=ClientKind.COMPANY)
    name: str = Field(sa_type=String(200), nullable=False)
    email: str | None = Field(default=None, sa_type=String(254), index=True)
    phone: str | None = Field(default=None, sa_type=String(50))
    tax_id: str | None = Field(default=None, sa_type=String(50), index=True)
    currency: str = currency_field()
    payment_terms_days: int = Field(default=30, nullable=False)
    credit_limit: Decimal | None = Field(default=None, sa_type=MONEY, nullable=True)
    notes: str | None = Field(default=None, sa_type=Text)
    is_archived: bool = Field(default=False, nullable=False)
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
