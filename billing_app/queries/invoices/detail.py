"""One invoice as the detail page, the API and the PDF show it: lines, taxes per rate, history.

Staff who read invoices see any; a client user only its own client's issued invoices.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from billing_app.auth.permissions import Action, can, require
from billing_app.domain.totals import DocumentTotals, LineInput, TaxLine, compute_totals
from billing_app.errors import NotFound
from billing_app.models.clients import Client
from billing_app.models.company import TaxRate
from billing_app.models.invoices import Invoice, InvoiceLine, InvoiceLineTax, InvoiceStatusHistory
from billing_app.models.reminders import InvoiceFee
from billing_app.models.users import User

@dataclass(frozen=True)
class AppliedTax:
    tax_rate_id: int
    name: str
    rate: Decimal  # as on the invoice, even if the rate changed since


@dataclass(frozen=True)
class LineDetail:
    line: InvoiceLine
    taxes: list[AppliedTax]
    gross: Decimal  # quantity x unit price
    discount: Decimal
    net: Decimal  # tax-exclusive, before the invoice discount


@dataclass(frozen=True)
class HistoryEntry:
    from_status: str | None
    to_status: str
    changed_at: datetime
    changed_by: str | None  # the user's name; None for the system (or hidden from clients)
    note: str | None


@dataclass(frozen=True)
class InvoiceDetail:
    invoice: Invoice
    client_name: str
    lines: list[LineDetail]
    taxes: list[TaxLine]  # base and amount per rate, after the invoice discount
    totals: DocumentTotals
    history: list[HistoryEntry]
    fees: list[InvoiceFee] = field(default_factory=list)  # late fees, oldest first


def own_client_only(actor: User | None, staff: Action = Action.INVOICES_READ) -> int | None:
    """None when the actor reads all of them (`staff` may), else the only client whose
    invoices, and the documents of those, it may read."""
    if actor is not None and actor.is_active and can(actor.role, staff):
        return None
    return require(actor, Action.OWN_INVOICES_READ).client_id


def invoice_detail(session: Session, *, actor: User, invoice_id: int) -> InvoiceDetail:
    """An invoice with its lines, taxes per rate and status history. A client user sees only
    its own client's issued invoices; anything else is "not found", as if it did not exist."""
    own_client = own_client_only(actor)
    query = (select(Invoice, Client.name).join(Client, Client.id == Invoice.client_id)
             .where(Invoice.id == invoice_id))
    if own_client is not None:
        # issued means numbered: a draft discarded before issue is cancelled but has no number
        query = query.where(Invoice.client_id == own_client, Invoice.number.is_not(None))
    found = session.exec(query).first()
    if found is None:
        raise NotFound("That invoice does not exist.")
    invoice, client_name = found
    lines = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                         .order_by(InvoiceLine.position)).all()
    taxes = defaultdict(list)
    for line_id, rate_id, name, rate in session.exec(
        select(InvoiceLineTax.line_id, InvoiceLineTax.tax_rate_id, TaxRate.name,
               InvoiceLineTax.rate)
        .join(TaxRate, TaxRate.id == InvoiceLineTax.tax_rate_id)
        .join(InvoiceLine, InvoiceLine.id == InvoiceLineTax.line_id)
        .where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLineTax.rate)
    ):
        taxes[line_id].append(AppliedTax(rate_id, name, rate))
    fees = session.exec(select(InvoiceFee).where(InvoiceFee.invoice_id == invoice.id)
                        .order_by(InvoiceFee.charged_on, InvoiceFee.id)).all()
    totals = compute_totals(
        [LineInput(line.quantity, line.unit_price, line.discount_type, line.discount_value,
                   tuple(tax.rate for tax in taxes[line.id])) for line in lines],
        currency=invoice.currency, discount_type=invoice.discount_type,
        discount_value=invoice.discount_value, tax_rounding=invoice.tax_rounding,
        prices_include_tax=invoice.prices_include_tax, fees=[fee.amount for fee in fees],
    )
    return InvoiceDetail(
        invoice=invoice, client_name=client_name,
        lines=[LineDetail(line, taxes[line.id], amounts.gross, amounts.discount, amounts.net)
               for line, amounts in zip(lines, totals.lines)],
        taxes=list(totals.taxes), totals=totals,
        history=_history(session, invoice.id, names=own_client is None), fees=list(fees),
    )


def _history(session: Session, invoice_id: int, *, names: bool) -> list[HistoryEntry]:
    rows = session.exec(
        select(InvoiceStatusHistory, User.name)
        .outerjoin(User, User.id == InvoiceStatusHistory.changed_by_id)
        .where(InvoiceStatusHistory.invoice_id == invoice_id)
        .order_by(InvoiceStatusHistory.changed_at, InvoiceStatusHistory.id)
    ).all()
    return [HistoryEntry(entry.from_status, entry.to_status, entry.changed_at,
                         name if names else None, entry.note) for entry, name in rows]
