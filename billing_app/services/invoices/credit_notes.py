"""Writing a numbered credit note for part or all of an issued invoice."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.domain.money import quantize_money
from billing_app.models.company import Company
from billing_app.models.invoices import CreditNote, CreditNoteStatus, Invoice
from billing_app.models.users import User
from billing_app.services.numbering import next_number


def _credited_tax(session: Session, invoice_id: int) -> Decimal:
    return session.exec(select(func.coalesce(func.sum(CreditNote.tax_total), 0))
                        .where(CreditNote.invoice_id == invoice_id,
                               CreditNote.status == CreditNoteStatus.ISSUED)).one()


def credit_note_create(session: Session, *, actor: User, invoice: Invoice, amount: Decimal,
                       reason: str, issue_date: date) -> CreditNote:
    """A credit note for `amount` (tax included) of the invoice, numbered with the credit note
    pattern. Its tax is the invoice's share of tax for that amount; the note that credits the
    rest takes exactly the tax not yet credited, so all notes together never drift by a cent.
    The caller checks the amount and updates the invoice."""
    if amount == invoice.total - invoice.amount_credited:
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
    return note
