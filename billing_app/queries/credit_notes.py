"""Reads for credit notes by line: an invoice's lines with what is still uncredited on each,
and the lines and taxes of credit notes. No permission checks: building blocks for the
credit note service, the invoice page, the API and the PDF, which check their own."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.domain.line_credits import CreditedLine
from billing_app.domain.totals import LineInput
from billing_app.models.invoices import (
    CreditNote,
    CreditNoteLine,
    CreditNoteStatus,
    CreditNoteTax,
    InvoiceLine,
    InvoiceLineTax,
)


@dataclass(frozen=True)
class CreditableLine:
    line: InvoiceLine
    rates: tuple[Decimal, ...]  # as on the invoice
    credited: Decimal  # by issued credit notes by line

    @property
    def remaining(self) -> Decimal:
        return self.line.quantity - self.credited

    def credit(self, now: Decimal = Decimal(0)) -> CreditedLine:
        line = self.line
        return CreditedLine(LineInput(line.quantity, line.unit_price, line.discount_type,
                                      line.discount_value, self.rates), self.credited, now)


def creditable_lines(session: Session, invoice_id: int) -> list[CreditableLine]:
    """The invoice's lines in order, each with the quantity credited by line so far."""
    lines = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
                         .order_by(InvoiceLine.position, InvoiceLine.id)).all()
    rates = defaultdict(list)
    for line_id, rate in session.exec(
            select(InvoiceLineTax.line_id, InvoiceLineTax.rate).join(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLineTax.rate)):
        rates[line_id].append(rate)
    credited = dict(session.exec(
        select(CreditNoteLine.invoice_line_id, func.sum(CreditNoteLine.quantity))
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .where(CreditNote.invoice_id == invoice_id, CreditNote.status == CreditNoteStatus.ISSUED)
        .group_by(CreditNoteLine.invoice_line_id)).all())
    return [CreditableLine(line, tuple(rates[line.id]), Decimal(credited.get(line.id, 0)))
            for line in lines]


@dataclass(frozen=True)
class NoteLines:
    lines: list[CreditNoteLine] = field(default_factory=list)
    taxes: list[CreditNoteTax] = field(default_factory=list)


def note_lines(session: Session, note_ids: Iterable[int]) -> dict[int, NoteLines]:
    """{credit note id: its lines and taxes}; an amount-only note has neither (left out)."""
    note_ids = list(note_ids)
    found: dict[int, NoteLines] = defaultdict(NoteLines)
    if not note_ids:
        return found
    for line in session.exec(select(CreditNoteLine)
                             .where(CreditNoteLine.credit_note_id.in_(note_ids))
                             .order_by(CreditNoteLine.position, CreditNoteLine.id)):
        found[line.credit_note_id].lines.append(line)
    for tax in session.exec(select(CreditNoteTax).where(CreditNoteTax.credit_note_id.in_(note_ids))
                            .order_by(CreditNoteTax.rate)):
        found[tax.credit_note_id].taxes.append(tax)
    return found
