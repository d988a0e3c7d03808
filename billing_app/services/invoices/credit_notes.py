"""Writing a numbered credit note for part or all of an issued invoice: an amount, or by line
(some lines or part quantities of them, with tax per rate)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.domain.line_credits import line_credit_totals
from billing_app.domain.money import quantize_money
from billing_app.domain.totals import DocumentTotals
from billing_app.errors import ValidationFailed
from billing_app.models.company import Company
from billing_app.models.invoices import (
    CreditNote,
    CreditNoteLine,
    CreditNoteStatus,
    CreditNoteTax,
    Invoice,
    InvoiceLine,
)
from billing_app.models.users import User
from billing_app.queries.credit_notes import creditable_lines
from billing_app.services.numbering import next_number


@dataclass(frozen=True)
class LinesCredited:
    """The invoice lines a credit note by line takes back, with quantities, and its totals
    (per line in the same order, per rate, in all)."""

    lines: list[tuple[InvoiceLine, Decimal]]
    totals: DocumentTotals


def lines_to_credit(session: Session, invoice: Invoice,
                    quantities: list[tuple[int, Decimal]]) -> LinesCredited:
    """Check each (invoice line id, quantity) against what is still uncredited on that line
    (the caller has the invoice locked) and work out the note's totals. Errors name the field
    `lines.<i>.quantity` of the offending entry."""
    creditable = creditable_lines(session, invoice.id)
    by_id = {item.line.id: item for item in creditable}
    for i, (line_id, quantity) in enumerate(quantities):
        item = by_id.get(line_id)
        if item is None:
            raise ValidationFailed(f"Line {i + 1} is not a line of this invoice.",
                                   field=f"lines.{i}.invoice_line_id")
        if quantity > item.remaining:
            left = f"{item.remaining.normalize():f}"
            raise ValidationFailed(
                f"Quantity to credit: at most {left} of “{item.line.description}” is left "
                "to credit." if item.remaining else
                f"Quantity to credit: “{item.line.description}” is credited in full already.",
                field=f"lines.{i}.quantity")
    wanted = dict(quantities)
    try:
        totals = line_credit_totals(
            [item.credit(wanted.get(item.line.id, Decimal(0))) for item in creditable],
            currency=invoice.currency, discount_type=invoice.discount_type,
            discount_value=invoice.discount_value, tax_rounding=invoice.tax_rounding,
            prices_include_tax=invoice.prices_include_tax)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="lines") from exc
    if totals.total <= 0:
        raise ValidationFailed("These lines come to nothing; there is no amount to credit.",
                               field="lines")
    kept = [(item.line, wanted[item.line.id], amounts)
            for item, amounts in zip(creditable, totals.lines) if item.line.id in wanted]
    return LinesCredited([(line, quantity) for line, quantity, _ in kept],
                         _only(totals, [amounts for *_, amounts in kept]))


def _only(totals: DocumentTotals, lines) -> DocumentTotals:
    """The totals with the line amounts of the credited lines only."""
    return DocumentTotals(tuple(lines), totals.subtotal, totals.discount_total, totals.taxable,
                          tuple(tax for tax in totals.taxes if tax.base or tax.amount),
                          totals.tax_total, totals.total)


def _credited_tax(session: Session, invoice_id: int) -> Decimal:
    return session.exec(select(func.coalesce(func.sum(CreditNote.tax_total), 0))
                        .where(CreditNote.invoice_id == invoice_id,
                               CreditNote.status == CreditNoteStatus.ISSUED)).one()


def credit_note_create(session: Session, *, actor: User, invoice: Invoice, amount: Decimal,
                       reason: str, issue_date: date,
                       by_lines: LinesCredited | None = None) -> CreditNote:
    """A credit note for `amount` (tax included) of the invoice, numbered with the credit note
    pattern. Its tax is the invoice's share of tax for that amount; the note that credits the
    rest takes exactly the tax not yet credited, so all notes together never drift by a cent.
    By line, `amount` is by_lines.totals.total and the note keeps its lines and tax per rate.
    The caller checks the amount and updates the invoice."""
    if by_lines is not None:
        tax = by_lines.totals.tax_total
    elif amount == invoice.total - invoice.amount_credited:
        tax = invoice.tax_total - _credited_tax(session, invoice.id)
    else:
        tax = quantize_money(invoice.tax_total * amount / invoice.total, invoice.currency)
    company = session.get(Company, invoice.company_id)
    note = CreditNote(
        company_id=company.id, invoice_id=invoice.id, client_id=invoice.client_id,
        number=next_number(session, company_id=company.id, kind="credit_note",
                           pattern=company.credit_note_number_pattern, issue_date=issue_date),
        status=CreditNoteStatus.ISSUED, issue_date=issue_date, currency=invoice.currency,
        reason=reason, subtotal=amount - tax, tax_total=tax, total=amount,
        created_by_id=actor.id,
    )
    session.add(note)
    if by_lines is not None:
        session.flush()
        session.add_all(CreditNoteLine(
            credit_note_id=note.id, invoice_line_id=line.id, position=position,
            description=line.description, quantity=quantity, unit=line.unit,
            unit_price=line.unit_price, line_net=amounts.net)
            for position, ((line, quantity), amounts)
            in enumerate(zip(by_lines.lines, by_lines.totals.lines)))
        session.add_all(CreditNoteTax(credit_note_id=note.id, rate=tax.rate, base=tax.base,
                                      amount=tax.amount) for tax in by_lines.totals.taxes)
    return note
