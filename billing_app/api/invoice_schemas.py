"""Request and response shapes of /invoices."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from billing_app.api.schemas import Page
from billing_app.api.shapes import (
    CURRENCY_DECIMALS,
    PERCENT_TEXT,
    AmountsAsText,
    amount_text,
    attributes,
    decimal_text,
)
from billing_app.domain.creditor_reference import creditor_reference
from billing_app.domain.invoice_status import InvoiceStatus
from billing_app.domain.totals import DocumentTotals
from billing_app.models.company import TaxRounding
from billing_app.models.invoices import (
    MAX_LINES,
    QUANTITY_TEXT,
    DiscountType,
    InvoiceDraftIn,
    InvoiceLineIn,
)
from billing_app.queries.dashboard import InvoiceRow
from billing_app.queries.invoices import CurrencySum, InvoiceDetail, InvoicePage, LineDetail

# --- requests ----------------------------------------------------------------------------------

LATEST_ISSUE_DATE = date(9998, 12, 31)
"""Later issue dates leave no room for a due date (the service would overflow)."""


_DISCOUNT = ConfigDict(json_schema_extra={"allOf": [
    {"if": {"properties": {"discount_value": {"type": "string", "pattern": "[1-9]"}},
            "required": ["discount_value"]},
     "then": {"properties": {"discount_type": {"enum": [kind.value for kind in DiscountType]}},
              "required": ["discount_type"]}},
    {"if": {"properties": {"discount_type": {"const": DiscountType.PERCENT.value}},
            "required": ["discount_type"]},
     "then": {"properties": {"discount_value": {"anyOf": [
         {"type": "string", "pattern": PERCENT_TEXT}, {"type": "null"}]}}}},
]})
"""A discount other than zero says its type; a percent is at most 100."""


class InvoiceLineBody(AmountsAsText, InvoiceLineIn):
    model_config = _DISCOUNT
    amounts = ("quantity", "unit_price", "discount_value")
    amount_rules = {
        "quantity": {"pattern": QUANTITY_TEXT},
        "unit_price": {"description": CURRENCY_DECIMALS},
        "discount_value": {"description": "With discount_type: a percent of at most 100, or an "
                                          "amount of at most quantity times unit_price."},
    }


class InvoiceDraftBody(AmountsAsText, InvoiceDraftIn):
    """A whole draft. Without due date it is due after the client's payment terms; a due date
    given is on or after the issue date. Without currency it is in the client's; notes and
    terms left out take the company's defaults."""

    model_config = _DISCOUNT
    lines: list[InvoiceLineBody] = Field(default_factory=list, max_length=MAX_LINES)

    amounts = ("discount_value",)
    amount_rules = {"discount_value": {
        "description": "With discount_type: a percent of at most 100, or an amount of at most "
                       "the lines' total. " + CURRENCY_DECIMALS}}

    @field_validator("issue_date")
    @classmethod
    def _room_for_a_due_date(cls, value: date) -> date:
        if value > LATEST_ISSUE_DATE:
            raise ValueError(f"must be on or before {LATEST_ISSUE_DATE.isoformat()}.")
        return value


class IssueBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    override_credit_limit: bool = Field(
        default=False, description="Issue even over the client's credit limit (admins only).")


class CancelBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, json_schema_extra={"pattern": r"\S"})  # words: the service's


# --- responses ---------------------------------------------------------------------------------

class InvoiceListItem(BaseModel):
    id: int
    number: str | None
    client_name: str
    issue_date: date
    due_date: date
    status: InvoiceStatus
    currency: str
    total: str
    balance_due: str

    @classmethod
    def of(cls, row: InvoiceRow) -> "InvoiceListItem":
        return cls(**{**vars(row), "total": amount_text(row.total, row.currency),
                      "balance_due": amount_text(row.balance_due, row.currency)})


class CurrencySumOut(BaseModel):
    currency: str
    count: int
    total: str
    balance_due: str

    @classmethod
    def of(cls, row: CurrencySum) -> "CurrencySumOut":
        return cls(currency=row.currency, count=row.count,
                   total=amount_text(row.total, row.currency),
                   balance_due=amount_text(row.balance_due, row.currency))


class InvoicePageOut(Page[InvoiceListItem]):
    sums: list[CurrencySumOut] | None = Field(
        description="Count, total and balance due of everything the filters match, per "
                    "currency; null where they are not available (client accounts).")

    @classmethod
    def of(cls, page: InvoicePage, *, offset: int, limit: int) -> "InvoicePageOut":
        return cls(items=[InvoiceListItem.of(row) for row in page.rows], total=page.total_count,
                   offset=offset, limit=limit, sums=[CurrencySumOut.of(s) for s in page.sums])


class TaxTotalOut(BaseModel):
    rate: str
    base: str
    amount: str


class LineTotalsOut(BaseModel):
    gross: str
    discount: str
    net: str = Field(description="Tax-exclusive, before the invoice discount.")
    tax: str


class TotalsOut(BaseModel):
    """The amounts are already rounded to the currency's minor unit."""

    subtotal: str
    discount_total: str
    taxable: str
    taxes: list[TaxTotalOut] = Field(description="Base and tax per rate, after the invoice "
                                                 "discount.")
    tax_total: str
    total: str

    @staticmethod
    def fields(totals: DocumentTotals) -> dict:
        return {
            "subtotal": str(totals.subtotal), "discount_total": str(totals.discount_total),
            "taxable": str(totals.taxable), "tax_total": str(totals.tax_total),
            "total": str(totals.total),
            "taxes": [TaxTotalOut(rate=decimal_text(tax.rate), base=str(tax.base),
                                  amount=str(tax.amount)) for tax in totals.taxes],
        }


class PreviewOut(TotalsOut):
    lines: list[LineTotalsOut]

    @classmethod
    def of(cls, totals: DocumentTotals) -> "PreviewOut":
        lines = [LineTotalsOut(**{name: str(value) for name, value in vars(line).items()})
                 for line in totals.lines]
        return cls(**cls.fields(totals), lines=lines)


class AppliedTaxOut(BaseModel):
    tax_rate_id: int
    name: str
    rate: str


class InvoiceLineOut(BaseModel):
    id: int
    position: int
    product_id: int | None
    description: str
    quantity: str
    unit: str | None
    unit_price: str
    discount_type: DiscountType | None
    discount_value: str | None
    gross: str
    discount: str
    net: str
    taxes: list[AppliedTaxOut]

    @classmethod
    def of(cls, detail: LineDetail, currency: str) -> "InvoiceLineOut":
        line = detail.line
        return cls(
            id=line.id, position=line.position, product_id=line.product_id,
            description=line.description, quantity=decimal_text(line.quantity), unit=line.unit,
            unit_price=amount_text(line.unit_price, currency), discount_type=line.discount_type,
            discount_value=_discount_text(line.discount_type, line.discount_value, currency),
            gross=str(detail.gross), discount=str(detail.discount), net=str(detail.net),
            taxes=[AppliedTaxOut(tax_rate_id=tax.tax_rate_id, name=tax.name,
                                 rate=decimal_text(tax.rate)) for tax in detail.taxes],
        )


def _discount_text(kind: DiscountType | None, value, currency: str) -> str | None:
    return decimal_text(value) if kind == DiscountType.PERCENT else amount_text(value, currency)


class HistoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: InvoiceStatus | None
    to_status: InvoiceStatus
    changed_at: datetime
    changed_by: str | None
    note: str | None


class InvoiceOut(TotalsOut):
    id: int
    number: str | None = Field(description="Given when the invoice is issued.")
    creditor_reference: str | None = Field(description=(
        "The ISO 11649 RF reference a payer quotes (compact, e.g. RF36INV202600042); made "
        "from the number, so given when the invoice is issued."))
    status: InvoiceStatus
    client_id: int
    client_name: str
    issue_date: date
    due_date: date
    currency: str
    discount_type: DiscountType | None
    discount_value: str | None
    prices_include_tax: bool
    tax_rounding: TaxRounding
    notes: str | None
    terms: str | None
    amount_paid: str
    amount_credited: str
    fees_total: str = Field(description="Late fees charged by reminders; balance_due = total + "
                                        "fees_total - amount_paid - amount_credited.")
    balance_due: str
    sent_at: datetime | None
    paid_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    lines: list[InvoiceLineOut]
    history: list[HistoryOut]

    @classmethod
    def of(cls, detail: InvoiceDetail) -> "InvoiceOut":
        invoice = detail.invoice
        currency = invoice.currency

        def money(value):
            return amount_text(value, currency)

        return cls.model_validate({
            **attributes(invoice, cls),
            **cls.fields(detail.totals),
            "client_name": detail.client_name,
            "creditor_reference": creditor_reference(invoice.number),
            "discount_value": _discount_text(invoice.discount_type, invoice.discount_value,
                                             currency),
            "amount_paid": money(invoice.amount_paid),
            "amount_credited": money(invoice.amount_credited),
            "fees_total": money(invoice.fees_total),
            "balance_due": money(invoice.balance_due),
            "lines": [InvoiceLineOut.of(line, currency) for line in detail.lines],
            "history": [HistoryOut.model_validate(entry) for entry in detail.history],
        })
