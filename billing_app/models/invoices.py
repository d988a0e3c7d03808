"""Invoices, their lines, taxes, status history and credit notes; the shapes of a draft."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic import Field as PydanticField
from sqlalchemy import CheckConstraint, Date, Index, String, Text, UniqueConstraint, func
from sqlmodel import Field, SQLModel

from billing_app.domain.invoice_status import InvoiceStatus
from billing_app.domain.money import parse_money
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
from billing_app.models.clients import search_index
from billing_app.models.inputs import CurrencyCode, decimal_pattern, optional_text, text
from billing_app.models.company import TaxRounding


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
        # a draft gets its number when issued; a draft may be cancelled (discarded) unnumbered
        CheckConstraint("number IS NOT NULL OR status IN ('draft', 'cancelled')",
                        name="issued_has_number"),
        # overpaying an invoice is refused: the excess stays on the payment as client credit
        CheckConstraint("balance_due >= 0", name="balance_not_negative"),
        # the list: newest first within a status, or over all (see queries/invoices.py)
        Index("ix_invoices_status_issue_date_id", "status", "issue_date", "id"),
        Index("ix_invoices_issue_date_id", "issue_date", "id"),
        Index("ix_invoices_client_issue_date", "client_id", "issue_date"),
        Index("ix_invoices_status_due_date", "status", "due_date"),
        search_index("invoices", "number"),  # digits within the number
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
    # both copied from the company settings when the draft is made, so the totals never change
    prices_include_tax: bool = Field(default=False, nullable=False)
    tax_rounding: TaxRounding = Field(
        default=TaxRounding.DOCUMENT, sa_type=String(20), nullable=False,
        sa_column_kwargs={"server_default": TaxRounding.DOCUMENT.value},
    )
    subtotal: Decimal = money_field()  # sum of line nets after line discounts
    discount_total: Decimal = money_field()  # invoice-level discount
    tax_total: Decimal = money_field()
    total: Decimal = money_field()
    amount_paid: Decimal = money_field()
    amount_credited: Decimal = money_field()
    fees_total: Decimal = money_field(sa_column_kwargs={"server_default": "0"})  # invoice_fees
    balance_due: Decimal = money_field()  # total + fees_total - amount_paid - amount_credited
    notes: str | None = Field(default=None, sa_type=String(5000))
    terms: str | None = Field(default=None, sa_type=String(5000))
    sent_at: datetime | None = timestamp_field()
    paid_at: datetime | None = timestamp_field()
    cancelled_at: datetime | None = timestamp_field()
    # no reminders for this invoice while set (e.g. a disputed line)
    reminders_paused_at: datetime | None = timestamp_field()
    reminders_pause_reason: str | None = Field(default=None, sa_type=String(500))
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


# the start of the number, in any case: text_pattern_ops lets PostgreSQL use it for LIKE 'x%'
Index("ix_invoices_lower_number", func.lower(Invoice.number).label("lower_number"),
      postgresql_ops={"lower_number": "text_pattern_ops"})


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
    description: str = Field(sa_type=String(2000), nullable=False)
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
    reason: str | None = Field(default=None, sa_type=String(500))
    subtotal: Decimal = money_field()
    tax_total: Decimal = money_field()
    total: Decimal = money_field()
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()


class CreditNoteLine(SQLModel, table=True):
    """A line of a credit note by line: part or all of an invoice line's quantity. Description,
    unit and price are copied from the invoice line; line_net is this note's share of it,
    tax-exclusive, before any invoice-level discount."""

    __tablename__ = "credit_note_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    credit_note_id: int = Field(foreign_key="credit_notes.id", index=True, nullable=False)
    invoice_line_id: int = Field(foreign_key="invoice_lines.id", index=True, nullable=False)
    position: int = Field(default=0, nullable=False)
    description: str = Field(sa_type=Text, nullable=False)
    quantity: Decimal = Field(sa_type=QUANTITY, nullable=False)
    unit: str | None = Field(default=None, sa_type=String(20))
    unit_price: Decimal = Field(sa_type=MONEY, nullable=False)
    line_net: Decimal = money_field()


class CreditNoteTax(SQLModel, table=True):
    """A credit note by line's tax at one rate: the base and the tax it takes back."""

    __tablename__ = "credit_note_taxes"

    credit_note_id: int = Field(foreign_key="credit_notes.id", primary_key=True)
    rate: Decimal = Field(sa_type=RATE, primary_key=True)
    base: Decimal = money_field()
    amount: Decimal = money_field()


# --- Shapes the invoice services accept -----------------------------------------------------
# Amounts come as text from forms ("1,234.50") or as Decimal/int from code; floats are refused.

MAX_LINES = 500
_PLACES = Decimal("0.0001")  # the scale of the QUANTITY and MONEY columns
_QUANTITY_LIMIT = Decimal(10) ** 14  # NUMERIC(18,4)
_MONEY_LIMIT = Decimal(10) ** 15  # NUMERIC(19,4)


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def _number(value) -> Decimal:
    if isinstance(value, str):
        return parse_money(value)
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return Decimal(value)
    raise ValueError("write the number as text, like 12.50.")


def _stored_exactly(limit: Decimal):
    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("write it as a number, like 12.50.")
        if value < 0:
            raise ValueError("cannot be negative.")
        if value >= limit:
            raise ValueError("is too large.")
        if value != value.quantize(_PLACES):
            raise ValueError("can have at most 4 decimal places.")
        return value

    return AfterValidator(check)


def _positive(value: Decimal) -> Decimal:
    if value == 0:
        raise ValueError("must be more than 0.")
    return value


def _unique(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("lists the same tax rate twice.")
    return ids


def _check_discount(kind: DiscountType | None, value: Decimal | None,
                    applies_to: Decimal | None = None) -> Decimal | None:
    """A discount value that fits its kind: a percent of at most 100, an amount of at most
    `applies_to` (when known; the invoice's own is checked against its lines by the totals)."""
    if not value:
        return value
    if kind is None:
        raise ValueError("choose whether the discount is a percent or an amount.")
    if kind == DiscountType.PERCENT and value > 100:
        raise ValueError("a discount cannot be more than 100%.")
    if kind == DiscountType.AMOUNT and applies_to is not None and value > applies_to:
        raise ValueError(
            f"a discount cannot be more than the line amount ({applies_to.normalize():f}).")
    return value


Id = Annotated[int, PydanticField(ge=1, le=2**31 - 1)]
QUANTITY_TEXT = decimal_pattern(14, positive=True)
"""What the API's schema promises of a quantity (text, never a JSON number)."""
Quantity = Annotated[Decimal, BeforeValidator(_number), _stored_exactly(_QUANTITY_LIMIT),
                     AfterValidator(_positive),
                     WithJsonSchema({"type": "string", "pattern": QUANTITY_TEXT, "maxLength": 20})]
Price = Annotated[Decimal, BeforeValidator(_number), _stored_exactly(_MONEY_LIMIT)]
OptionalPrice = Annotated[Price | None, BeforeValidator(_blank_to_none)]
OptionalDiscountType = Annotated[DiscountType | None, BeforeValidator(_blank_to_none)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InvoiceLineIn(_Shape):
    product_id: Annotated[Id | None, BeforeValidator(_blank_to_none)] = None
    description: text(2000)
    quantity: Quantity
    unit: optional_text(20) = None
    unit_price: Price
    discount_type: OptionalDiscountType = None
    discount_value: OptionalPrice = None
    tax_rate_ids: Annotated[list[Id], AfterValidator(_unique)] = PydanticField(
        default_factory=list, json_schema_extra={"uniqueItems": True})

    @field_validator("discount_value")
    @classmethod
    def _discount_fits(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        quantity, price = info.data.get("quantity"), info.data.get("unit_price")
        gross = quantity * price if quantity is not None and price is not None else None
        return _check_discount(info.data.get("discount_type"), value, gross)


class InvoiceDraftIn(_Shape):
    """A draft as the form or the API gives it; drafts may have no lines, issuing needs one."""

    client_id: Id
    issue_date: date
    # left out: after the client's payment terms, in the client's currency
    due_date: Annotated[date | None, BeforeValidator(_blank_to_none)] = None
    currency: Annotated[CurrencyCode | None, BeforeValidator(_blank_to_none)] = None
    discount_type: OptionalDiscountType = None
    discount_value: OptionalPrice = None
    notes: optional_text(5000) = None
    terms: optional_text(5000) = None
    lines: list[InvoiceLineIn] = PydanticField(default_factory=list, max_length=MAX_LINES)

    @field_validator("due_date")
    @classmethod
    def _due_after_issue(cls, value: date | None, info: ValidationInfo) -> date | None:
        issue_date = info.data.get("issue_date")
        if value is not None and issue_date is not None and value < issue_date:
            raise ValueError("cannot be before the issue date.")
        return value

    @field_validator("discount_value")
    @classmethod
    def _discount_fits(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return _check_discount(info.data.get("discount_type"), value)
