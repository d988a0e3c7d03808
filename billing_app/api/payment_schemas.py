"""Request and response shapes of /payments, invoice payments and credit notes, and client
credit and statements. Amounts go both ways as decimal strings."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from billing_app.api.schemas import Page
from billing_app.api.shapes import (
    CURRENCY_DECIMALS,
    POSITIVE_TEXT,
    AmountsAsText,
    amount_text,
    attributes,
    decimal_text,
)
from billing_app.models.invoices import CreditNoteStatus, OptionalPrice
from billing_app.models.payments import Payment, PaymentMethod, PaymentStatus, RefundStatus
from billing_app.queries.credit_notes import NoteLines
from billing_app.queries.payments import (
    AllocationRow,
    ClientStatement,
    CreditNoteRow,
    PaymentDetail,
    PaymentPage,
    PaymentRow,
    RefundRow,
)
from billing_app.services.payments import AllocationIn, CreditNoteIn, PaymentIn, RefundIn
from billing_app.services.payments.inputs import MAX_ALLOCATIONS

# --- requests ----------------------------------------------------------------------------------


_MONEY_IN = {"amount": {"pattern": POSITIVE_TEXT, "description": "More than 0. " + CURRENCY_DECIMALS}}
"""An amount of money that moves: more than zero, in the currency's decimals."""


class AllocationBody(AmountsAsText, AllocationIn):
    amounts = ("amount",)
    amount_rules = _MONEY_IN


Allocations = list[AllocationBody]
EACH_INVOICE_ONCE = ("Each invoice once; together at most what the payment has unallocated, each "
                     "at most what its invoice still owes.")


class PaymentBody(AmountsAsText, PaymentIn):
    """Money received. It goes on the invoices in `allocations`, or the oldest due first with
    auto_allocate; what is left is the client's credit. Without currency: the client's."""

    amounts = ("amount",)
    amount_rules = _MONEY_IN

    allocations: Allocations = Field(default_factory=list, max_length=MAX_ALLOCATIONS,
                                     description=EACH_INVOICE_ONCE)


class AllocateBody(BaseModel):
    """Put the unallocated rest of a payment on invoices: the ones named, or with auto the
    client's open invoices in its currency, the oldest due first."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "if": {"properties": {"auto": {"const": True}}, "required": ["auto"]},
        "else": {"properties": {"allocations": {"minItems": 1}}, "required": ["allocations"]}})

    allocations: Allocations = Field(default_factory=list, max_length=MAX_ALLOCATIONS,
                                     description=EACH_INVOICE_ONCE)
    auto: bool = False


class ReasonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, json_schema_extra={"pattern": r"\S"})  # words: the service's


class CreditNoteBody(AmountsAsText, CreditNoteIn):
    """A credit note for part or all of an issued invoice: either `amount` (tax included) or
    `lines` ([{invoice_line_id, quantity}], each invoice line once, each quantity at most what
    is still uncredited on that line; tax per rate as the invoice's). Issued today unless issue_date says otherwise."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"properties": {"amount": {"type": "string"}, "lines": {"type": "null"}},
         "required": ["amount"]},
        {"properties": {"lines": {"type": "array", "minItems": 1}, "amount": {"type": "null"}},
         "required": ["lines"]}]})
    amounts = ("amount",)
    amount_rules = _MONEY_IN


class RefundBody(AmountsAsText, RefundIn):
    """Money given back: part or all of what is left of a payment (first its unallocated part,
    then its newest allocations, whose invoices owe that part again), or, for a client, of its
    credit in `currency` (the client's currency when left out; a payment's refund takes the
    payment's). Refunded today unless refund_date says otherwise."""

    amounts = ("amount",)
    amount_rules = _MONEY_IN


class ApplyCreditBody(AmountsAsText):
    """How much of the client's credit to put on the invoice; all it owes when left out."""

    model_config = ConfigDict(extra="forbid")
    amounts = ("amount",)
    amount_rules = {"amount": {"description": CURRENCY_DECIMALS}}

    amount: OptionalPrice = None


# --- responses ---------------------------------------------------------------------------------


class PaymentListItem(BaseModel):
    id: int
    client_id: int
    client_name: str
    payment_date: date
    amount: str
    amount_allocated: str
    amount_refunded: str = Field(description="Given back by partial refunds.")
    unallocated: str = Field(description="The client's credit from this payment (while "
                                         "completed).")
    currency: str
    method: PaymentMethod
    status: PaymentStatus
    reference: str | None

    @classmethod
    def fields(cls, payment: Payment, client_name: str) -> dict:
        currency = payment.currency
        return {**attributes(payment, cls), "client_name": client_name,
                "amount": amount_text(payment.amount, currency),
                "amount_allocated": amount_text(payment.amount_allocated, currency),
                "amount_refunded": amount_text(payment.amount_refunded, currency),
                "unallocated": amount_text(payment.unallocated, currency)}

    @classmethod
    def of(cls, row: PaymentRow) -> "PaymentListItem":
        return cls.model_validate(cls.fields(row.payment, row.client_name))


class PaymentPageOut(Page[PaymentListItem]):
    @classmethod
    def of(cls, page: PaymentPage, *, offset: int, limit: int) -> "PaymentPageOut":
        return cls(items=[PaymentListItem.of(row) for row in page.rows], total=page.total,
                   offset=offset, limit=limit)


class AllocationOut(BaseModel):
    """A part of a payment on one invoice; those of voided or refunded payments no longer
    count (payment_status says so)."""

    id: int
    payment_id: int
    invoice_id: int
    invoice_number: str | None
    amount: str
    currency: str
    payment_date: date
    method: PaymentMethod
    reference: str | None
    payment_status: PaymentStatus

    @classmethod
    def of(cls, row: AllocationRow) -> "AllocationOut":
        return cls.model_validate({**vars(row), "id": row.allocation_id,
                                   "amount": amount_text(row.amount, row.currency)})


class PaymentOut(PaymentListItem):
    notes: str | None
    gateway_provider: str | None
    gateway_transaction_id: str | None
    gateway_status: str | None
    reversed_at: datetime | None
    reversal_reason: str | None
    created_at: datetime
    allocations: list[AllocationOut]

    @classmethod
    def of(cls, detail: PaymentDetail) -> "PaymentOut":
        return cls.model_validate({
            **cls.fields(detail.payment, detail.client_name),
            "allocations": [AllocationOut.of(row) for row in detail.allocations]})


class CreditNoteLineOut(BaseModel):
    invoice_line_id: int
    description: str
    quantity: str
    unit: str | None
    unit_price: str
    net: str = Field(description="Tax-exclusive, before any invoice-level discount.")


class CreditNoteTaxOut(BaseModel):
    rate: str
    base: str
    amount: str


class CreditNoteOut(BaseModel):
    id: int
    number: str | None
    invoice_id: int
    invoice_number: str | None
    client_id: int
    status: CreditNoteStatus
    issue_date: date
    currency: str
    reason: str | None
    subtotal: str
    tax_total: str
    total: str
    created_at: datetime
    lines: list[CreditNoteLineOut] = Field(description="Empty for a credit note of an amount.")
    taxes: list[CreditNoteTaxOut] = Field(description="Per rate; empty for one of an amount.")

    @classmethod
    def of(cls, row: CreditNoteRow, by_line: NoteLines) -> "CreditNoteOut":
        note = row.credit_note

        def money(amount):
            return amount_text(amount, note.currency)

        return cls.model_validate({
            **attributes(note, cls), "invoice_number": row.invoice_number,
            "lines": [{"invoice_line_id": line.invoice_line_id, "description": line.description,
                       "quantity": decimal_text(line.quantity), "unit": line.unit,
                       "unit_price": money(line.unit_price), "net": money(line.line_net)}
                      for line in by_line.lines],
            "taxes": [{"rate": decimal_text(tax.rate), "base": money(tax.base),
                       "amount": money(tax.amount)} for tax in by_line.taxes],
            **{name: amount_text(getattr(note, name), note.currency)
               for name in ("subtotal", "tax_total", "total")}})


class StatementEntryOut(BaseModel):
    on: date
    kind: str = Field(description="invoice, fee, credit_note, payment or refund.")
    document: str
    debit: str = Field(description="What the client owes more.")
    credit: str = Field(description="What the client owes less.")
    balance: str = Field(description="Running; positive: the client owes this much.")


class StatementOut(BaseModel):
    currency: str
    opening_balance: str
    closing_balance: str
    entries: list[StatementEntryOut]

    @classmethod
    def of(cls, statement: ClientStatement) -> "StatementOut":
        def money(value):
            return amount_text(value, statement.currency)

        return cls(
            currency=statement.currency, opening_balance=money(statement.opening_balance),
            closing_balance=money(statement.closing_balance),
            entries=[StatementEntryOut(on=e.on, kind=e.kind, document=e.document,
                                       debit=money(e.debit), credit=money(e.credit),
                                       balance=money(e.balance)) for e in statement.entries])


class RefundOut(BaseModel):
    """A refund; `payment_id` is null for a refund of the client's credit. A refund the bank
    sent back is `reversed` and counts no more."""

    id: int
    client_id: int
    client_name: str
    payment_id: int | None
    amount: str
    currency: str
    refund_date: date
    method: PaymentMethod
    reason: str
    status: RefundStatus
    reversed_at: datetime | None
    reversal_reason: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: RefundRow) -> "RefundOut":
        refund = row.refund
        return cls.model_validate({**attributes(refund, cls), "client_name": row.client_name,
                                   "amount": amount_text(refund.amount, refund.currency)})
