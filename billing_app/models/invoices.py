from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.base import (
    MONEY,
    QUANTITY,
    RATE,
    AwareDateTime,
    created_at_field,
    currency_field,
    enum_field,
    money_field,
    timestamp_field,
    updated_at_field,
    utcnow,
)


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


class DiscountType(StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


class CreditNoteStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    VOID = "void"


class Invoice(SQLModel, table=True):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        CheckConstraint("due_date >= issue_date", name="due_after_issue"),
        CheckConstraint("status = 'draft' OR number IS NOT NULL", name="issued_has_number"),
        Index("ix_invoices_status_issue_date", "status", "issue_date"),
        Index("ix_invoices_client_issue_date", "client_id", "issue_date"),
        Index("ix_invoices_status_due_date", "status", "due_date"),
        Index("ix_invoices_issue_date_id", "issue_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", nullable=False)
    number: str | None = Field(default=None, sa_type=String(50))
    client_id: int = Field(foreign_key="clients.id", nullable=False)
    status: InvoiceStatus = enum_field(InvoiceStatus, default=InvoiceStatus.DRAFT)
    issue_date: date = Field(sa_type=Date, nullable=False)
    due_date: date = Field(sa_type=Date, nullable=False)
    currency: str = currency_field()
    discount_type: DiscountType | None = Field(default=None, sa_type=String(20))
    discount_value: Decimal | None = Field(default=None, sa_type=MONEY)
    prices_include_tax: bool = Field(default=False, nullable=False)
    subtotal: Decimal = money_field()  # sum of line nets after line discounts
    discount_total: Decimal = money_field()  # invoice-level discount
    tax_total: Decimal = money_field()
    total: Decimal = money_field()
    amount_paid: Decimal = money_field()
    amount_credited: Decimal = money_field()
    balance_due: Decimal = money_field()
    notes: str | None = Field(default=None, sa_type=Text)
    terms: str | None = Field(default=None, sa_type=Text)
    sent_at: datetime | None = timestamp_field()
    paid_at: datetime | None = timestamp_field()
    cancelled_at: datetime | None = timestamp_field()
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit_price >= 0", name="price_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoices.id", index=True, nullable=False)
    position: int = Field(default=0, nullable=False)
    product_id: int | None = Field(default=None, foreign_key="products.id")
    description: str = Field(sa_type=Text, nullable=False)
    quantity: Decimal = Field(sa_type=QUANTITY, nullable=False)
    unit: str | None = Field(default=None, sa_type=String(20))
    unit_price: Decimal = Field(sa_type=MONEY, nullable=False)
    discount_type: DiscountType | None = Field(default=None, sa_type=String(20))
    discount_value: Decimal | None = Field(default=None, sa_type=MONEY)
    line_net: Decimal = money_field()


class InvoiceLineTax(SQLModel, table=True):
    """A tax applied to a line; the rate is copied so later rate changes never alter an invoice."""

    __tablename__ = "invoice_line_taxes"

    line_id: int = Field(foreign_key="invoice_lines.id", primary_key=True)
    tax_rate_id: int = Field(foreign_key="tax_rates.id", primary_key=True)
    rate: Decimal = Field(sa_type=RATE, nullable=False)


class InvoiceStatusHistory(SQLModel, table=True):
    __tablename__ = "invoice_status_history"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoices.id", index=True, nullable=False)
    from_status: str | None = Field(default=None, sa_type=String(20))
    to_status: str = Field(sa_type=String(20), nullable=False)
    changed_by_id: int | None = Field(default=None, foreign_key="users.id")
    changed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    note: str | None = Field(default=None, sa_type=String(500))


class CreditNote(SQLModel, table=True):
    __tablename__ = "credit_notes"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        CheckConstraint("total >= 0", name="total_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", nullable=False)
    number: str | None = Field(default=None, sa_type=String(50))
    invoice_id: int = Field(foreign_key="invoices.id", index=True, nullable=False)
    client_id: int = Field(foreign_key="clients.id", index=True, nullable=False)
    status: CreditNoteStatus = enum_field(CreditNoteStatus, default=CreditNoteStatus.DRAFT)
    issue_date: date = Field(sa_type=Date, nullable=False)
    currency: str = currency_field()
    reason: str | None = Field(default=None, sa_type=Text)
    subtotal: Decimal = money_field()
    tax_total: Decimal = money_field()
    total: Decimal = money_field()
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
