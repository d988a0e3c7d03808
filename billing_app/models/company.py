from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint, text
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from billing_app.models.base import (
    RATE,
    created_at_field,
    currency_field,
    enum_field,
    updated_at_field,
)


class TaxRounding(StrEnum):
    DOCUMENT = "document"  # per document and tax rate (EN 16931 BR-CO-17)
    LINE = "line"


class Company(SQLModel, table=True):
    """The company that issues invoices (one row)."""

    __tablename__ = "company"
    __table_args__ = (
        CheckConstraint(
            "default_payment_terms_days >= 0 AND default_payment_terms_days <= 365",
            name="terms_days_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(200), nullable=False)
    address_line1: str | None = Field(default=None, sa_type=String(200))
    address_line2: str | None = Field(default=None, sa_type=String(200))
    postal_code: str | None = Field(default=None, sa_type=String(20))
    city: str | None = Field(default=None, sa_type=String(100))
    country: str | None = Field(default=None, sa_type=String(2))
    tax_id: str | None = Field(default=None, sa_type=String(50))
    email: str | None = Field(default=None, sa_type=String(254))
    phone: str | None = Field(default=None, sa_type=String(50))
    website: str | None = Field(default=None, sa_type=String(200))
    logo_path: str | None = Field(default=None, sa_type=String(300))
    default_currency: str = currency_field()
    default_payment_terms_days: int = Field(default=30, nullable=False)
    invoice_number_pattern: str = Field(
        default="INV-{YYYY}-{SEQ:05}", sa_type=String(100), nullable=False
    )
    credit_note_number_pattern: str = Field(
        default="CN-{YYYY}-{SEQ:05}", sa_type=String(100), nullable=False
    )
    tax_rounding: TaxRounding = enum_field(TaxRounding, default=TaxRounding.DOCUMENT)
    prices_include_tax: bool = Field(default=False, nullable=False)
    invoice_footer: str | None = Field(default=None, sa_type=String(2000))
    default_notes: str | None = Field(default=None, sa_type=String(5000))
    default_terms: str | None = Field(default=None, sa_type=String(5000))
    locale: str = Field(default="en_US", sa_type=String(20), nullable=False)
    # the company's "today" (overdue marking, reminders): an IANA name such as Europe/Berlin
    time_zone: str = Field(default="UTC", sa_type=String(60), nullable=False,
                           sa_column_kwargs={"server_default": "UTC"})
    # documents: how PDFs look, their language, and how to pay (printed on every invoice)
    document_layout: str = Field(default="classic", sa_type=String(20), nullable=False,
                                 sa_column_kwargs={"server_default": "classic"})
    accent_color: str = Field(default="#1f4e79", sa_type=String(7), nullable=False,
                              sa_column_kwargs={"server_default": "#1f4e79"})
    document_language: str = Field(default="en", sa_type=String(10), nullable=False,
                                   sa_column_kwargs={"server_default": "en"})
    iban: str | None = Field(default=None, sa_type=String(34))
    bic: str | None = Field(default=None, sa_type=String(11))
    payment_instructions: str | None = Field(default=None, sa_type=String(1000))
    require_admin_two_factor: bool = Field(default=False, nullable=False,
                                           sa_column_kwargs={"server_default": sa_false()})
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class NumberSequence(SQLModel, table=True):
    """Next free number per document kind and period; locked row-wise when a number is taken."""

    __tablename__ = "number_sequences"
    __table_args__ = (UniqueConstraint("company_id", "kind", "period_key"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", nullable=False)
    kind: str = Field(sa_type=String(20), nullable=False)  # invoice, credit_note
    period_key: str = Field(default="", sa_type=String(10), nullable=False)  # "2026" or ""
    next_value: int = Field(default=1, nullable=False)


class TaxRate(SQLModel, table=True):
    __tablename__ = "tax_rates"
    __table_args__ = (
        CheckConstraint("rate >= 0 AND rate <= 100", name="rate_percent"),
        # at most one default rate, even when two admins change it at the same time
        Index("uq_tax_rates_one_default", "is_default", unique=True,
              postgresql_where=text("is_default"), sqlite_where=text("is_default")),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(100), unique=True, nullable=False)
    rate: Decimal = Field(sa_type=RATE, nullable=False)
    description: str | None = Field(default=None, sa_type=String(300))
    is_default: bool = Field(default=False, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    created_at: datetime = created_at_field()
