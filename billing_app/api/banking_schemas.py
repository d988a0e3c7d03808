"""Request and response shapes of /bank: statement uploads and their preview, the review
queue and the decisions on its lines. Amounts go both ways as decimal strings."""

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, Json

from billing_app.api.payment_schemas import Allocations
from billing_app.api.schemas import DbId, Page
from billing_app.api.shapes import amount_text, attributes
from billing_app.domain.statements import CsvMapping, CsvPreview, ParsedStatement, set_aside_reason
from billing_app.errors import ValidationFailed
from billing_app.models.banking import LineStatus
from billing_app.queries.banking import (
    LineDetail,
    ProposalView,
    ReviewItem,
    StatementRow,
)
from billing_app.queries.banking import Page as QueryPage
from billing_app.queries.reversals import ReversalItem
from billing_app.services.banking import HIGH, ImportResult
from billing_app.services.payments.inputs import MAX_ALLOCATIONS

# --- requests ----------------------------------------------------------------------------------


class StatementForm(BaseModel):
    """The text fields sent with a statement file (multipart/form-data)."""

    model_config = ConfigDict(extra="forbid")

    bank: str | None = Field(default=None, description=(
        "The bank's name. A CSV without a mapping is read with the columns saved for it; "
        "with a mapping, the mapping is saved under this name for the bank's next file."))
    mapping: Json[CsvMapping] | None = Field(default=None, description=(
        'Required for a CSV file unless `bank` names a bank whose columns are saved. '
        'JSON text naming the CSV columns, as the preview suggests: {"date": "Booking date", '
        '"amount": "Amount", "reference": "Description", ...}; "amount": null with "credit" '
        'and "debit" columns; "direction" names the column saying money in or out (Bij/Af, '
        'C/D, Credit/Debit, CRDT/DBIT) when the amount has no sign.'))
    default_currency: str | None = Field(default=None, description=(
        "For CSV lines without a currency column: the saved bank's currency, else EUR."))


_FORM_FIELD_OF = {"bank_profile": "bank",
                  **{field.name: f"mapping.{field.name}"
                     for field in dataclasses.fields(CsvMapping)}}


@contextmanager
def named_as_in_the_form() -> Iterator[None]:
    """Refusals name the form's fields: the mapping's own ("date"...) as "mapping.date", the
    import service's bank_profile as "bank"."""
    try:
        yield
    except ValidationFailed as error:
        error.field = _FORM_FIELD_OF.get(error.field, error.field)
        raise


class AcceptConfidentBody(BaseModel):
    """Accept every waiting proposal from min_confidence up, of one statement or of all."""

    model_config = ConfigDict(extra="forbid")

    min_confidence: int = Field(default=HIGH, ge=0, le=100)
    statement_id: DbId | None = None


class ManualMatchBody(BaseModel):
    """The line is a payment from this client on these invoices; what they do not take is
    the client's credit."""

    model_config = ConfigDict(extra="forbid")

    client_id: DbId
    allocations: Allocations = Field(default_factory=list, max_length=MAX_ALLOCATIONS)


# --- responses: uploads ------------------------------------------------------------------------


class CsvPreviewOut(BaseModel):
    format: Literal["csv"] = "csv"
    headers: list[str]
    rows: list[list[str]] = Field(description="The first rows, one cell per header.")
    delimiter: str
    encoding: str
    suggested_mapping: CsvMapping | None = Field(description=(
        "A guess from the header names, to check before importing; null when no date and "
        "amount columns were recognised."))

    @classmethod
    def of(cls, preview: CsvPreview, suggested: CsvMapping | None) -> "CsvPreviewOut":
        return cls(**dataclasses.asdict(preview), suggested_mapping=suggested)


def _money(value: Decimal | None, currency: str | None) -> str | None:
    """An amount as text; with no currency known, as the file wrote it."""
    if value is None or currency is None:
        return None if value is None else format(value, "f")
    return amount_text(value, currency)


class Camt053StatementOut(BaseModel):
    account_iban: str | None
    statement_ref: str | None = Field(description="The bank's id of the statement.")
    currency: str | None
    line_count: int
    opening_balance: str | None
    closing_balance: str | None

    @classmethod
    def of(cls, parsed: ParsedStatement) -> "Camt053StatementOut":
        return cls(account_iban=parsed.account_iban or None,
                   statement_ref=parsed.statement_id or None, currency=parsed.currency,
                   line_count=len(parsed.lines),
                   opening_balance=_money(parsed.opening_balance, parsed.currency),
                   closing_balance=_money(parsed.closing_balance, parsed.currency))


class Camt053PreviewOut(BaseModel):
    format: Literal["camt053"] = "camt053"
    statements: list[Camt053StatementOut]


class ImportOut(BaseModel):
    statement_id: int | None = Field(description=(
        "The statement stored (the first, when a camt.053 file holds several); null when the "
        "file brought nothing new."))
    statement_ids: list[int]
    lines_in_file: int
    new_lines: int
    already_imported: int = Field(description="Lines of the file stored by an earlier import.")
    new_credits: int = Field(description="New money received, open for matching.")
    debits_ignored: int = Field(description="New money paid out, set aside.")
    proposals: int = Field(description="Of the new credits, those with a proposed match.")
    set_aside: dict[str, int] = Field(description=(
        "The other new lines set aside, by reason: not booked yet (FUTR, PDNG, INFO), "
        "reversals, returns, bank charges."))
    message: str

    @classmethod
    def of(cls, result: ImportResult) -> "ImportOut":
        return cls(**dataclasses.asdict(result), message=result.message,
                   statement_id=next(iter(result.statement_ids), None))


# --- responses: statements and profiles --------------------------------------------------------


class StatementPageOut(Page[StatementRow]):
    """Each statement with the lines in the file (line_count), those this import stored
    (new_line_count) and how many of those are open, matched and ignored."""

    @classmethod
    def of(cls, page: QueryPage[StatementRow], *, offset: int, limit: int) -> "StatementPageOut":
        return cls(items=page.rows, total=page.total_count, offset=offset, limit=limit)


# --- responses: the review queue and lines -----------------------------------------------------


class ProposedInvoiceOut(BaseModel):
    invoice_id: int
    number: str | None
    balance_due: str = Field(description="What the invoice owes now.")
    amount: str = Field(description="What the proposal puts on it.")


class ProposalOut(BaseModel):
    id: int
    client_id: int
    client_name: str
    confidence: int = Field(description="0 to 100; from 80 up accepted in bulk by default.")
    evidence: list[str] = Field(description="Why, in sentences.")
    status: str
    invoices: list[ProposedInvoiceOut]
    credit: str = Field(description="The part of the line no invoice takes: the client's "
                                    "credit if accepted.")
    decided_by: str | None
    decided_at: datetime | None

    @classmethod
    def of(cls, view: ProposalView, currency: str) -> "ProposalOut":
        return cls(
            id=view.proposal_id, client_id=view.client_id, client_name=view.client_name,
            confidence=view.confidence, evidence=view.evidence, status=view.status,
            invoices=[ProposedInvoiceOut(
                invoice_id=part.invoice_id, number=part.number,
                balance_due=amount_text(part.balance_due, currency),
                amount=amount_text(part.amount, currency)) for part in view.invoices],
            credit=amount_text(view.credit, currency), decided_by=view.decided_by,
            decided_at=view.decided_at)


class LineFields(BaseModel):
    id: int
    statement_id: int
    booking_date: date
    amount: str = Field(description="Money in is positive, money out negative.")
    currency: str
    reference: str
    counterparty_name: str
    counterparty_iban: str


class ReviewLineOut(LineFields):
    """An open payment received, with the match waiting for a decision (null: nothing points
    to a client; match it by hand or ignore it)."""

    proposal: ProposalOut | None

    @classmethod
    def of(cls, item: ReviewItem) -> "ReviewLineOut":
        return cls(
            id=item.line_id, statement_id=item.statement_id, booking_date=item.booking_date,
            amount=amount_text(item.amount, item.currency), currency=item.currency,
            reference=item.reference, counterparty_name=item.counterparty_name,
            counterparty_iban=item.counterparty_iban,
            proposal=item.proposal and ProposalOut.of(item.proposal, item.currency))


class ReviewPageOut(Page[ReviewLineOut]):
    @classmethod
    def of(cls, page: QueryPage[ReviewItem], *, offset: int, limit: int) -> "ReviewPageOut":
        return cls(items=[ReviewLineOut.of(item) for item in page.rows], total=page.total_count,
                   offset=offset, limit=limit)


class LineOut(LineFields):
    """A statement line with every proposal made for it, decided ones too, newest first."""

    file_name: str
    value_date: date | None
    bank_reference: str
    status: LineStatus
    payment_id: int | None = Field(description="The payment recorded from it, once matched.")
    reversal: bool = Field(description="The bank reverses an earlier entry (camt RvslInd).")
    returned: bool = Field(description="A returned payment (bank transaction code RRTN).")
    return_reason: str = Field(description="The return's reason code, e.g. AC04.")
    entry_status: str = Field(description="BOOK, or FUTR, PDNG, INFO: not booked.")
    creditor_reference: str = Field(description="The structured creditor reference (RF...).")
    end_to_end_id: str
    transaction_code: str = Field(description='The bank transaction code, e.g. "PMNT/RCDT/ESCT".')
    bank_charge: bool = Field(description="Charges a batch was booked net of.")
    set_aside_reason: str = Field(description="Why it is not money received; empty when it is.")
    proposals: list[ProposalOut]

    @classmethod
    def of(cls, detail: LineDetail) -> "LineOut":
        line = detail.line
        return cls.model_validate({
            **attributes(line, cls), "amount": amount_text(line.amount, line.currency),
            "set_aside_reason": set_aside_reason(line),
            "file_name": detail.file_name,
            "proposals": [ProposalOut.of(view, line.currency) for view in detail.proposals]})


class ReversalOut(BaseModel):
    """A reversed or returned line and what it undoes (kind payment_returned: the client's
    payment `payment_id`; refund_undone: our refund `refund_id`; set_aside: nothing found)."""

    proposal_id: int
    line_id: int
    statement_id: int
    booking_date: date
    amount: str = Field(description="Signed: a reversed client payment is negative.")
    currency: str
    counterparty_name: str
    reference: str
    kind: Literal["payment_returned", "refund_undone", "set_aside"]
    explanation: str
    payment_id: int | None
    refund_id: int | None

    @classmethod
    def of(cls, item: ReversalItem) -> "ReversalOut":
        return cls.model_validate({**dataclasses.asdict(item),
                                   "amount": amount_text(item.amount, item.currency)})
