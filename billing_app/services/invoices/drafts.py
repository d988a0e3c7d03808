"""Drafts: made, changed, copied and priced. Every amount comes from domain compute_totals."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import DRAFT, CANCELLED
from billing_app.domain.totals import DocumentTotals, LineInput, compute_totals
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.catalog import Product
from billing_app.models.clients import Client
from billing_app.models.company import Company, TaxRate
from billing_app.models.invoices import (
    Invoice,
    InvoiceDraftIn,
    InvoiceLine,
    InvoiceLineIn,
    InvoiceLineTax,
    InvoiceStatusHistory,
)
from billing_app.models.users import User
from billing_app.queries.company import company_today, current_company
from billing_app.services.validation import validated_item
from billing_app.services.invoices._common import audit_invoice, invoice_for_update
from billing_app.services.validation import validated

MAX_AMOUNT = Decimal(10) ** 15  # NUMERIC(19,4) holds 15 integer digits
CLIENT_ARCHIVED = "This client is archived; restore it before invoicing it."

Settings = Invoice | Company
"""Where prices_include_tax and tax_rounding come from: the company for a new draft, else the
invoice itself (it keeps what the company said when it was made)."""


@dataclass(frozen=True)
class _Priced:
    """A validated draft with what it refers to looked up and its totals computed."""

    payload: InvoiceDraftIn
    currency: str
    due_date: date
    rates: list[list[TaxRate]]  # per line
    totals: DocumentTotals


def _draft_in(data: dict) -> InvoiceDraftIn:
    """The validated draft; an error in a line names the line ("Line 2: Unit price: ...")."""
    if isinstance(data, dict) and isinstance(data.get("lines"), list):
        lines = [validated_item(InvoiceLineIn, line, field="lines", position=n, label=f"Line {n + 1}")
                 for n, line in enumerate(data["lines"])]
        data = {**data, "lines": lines}
    return validated(InvoiceDraftIn, data)


def _client(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise ValidationFailed("That client does not exist.", field="client_id")
    if client.is_archived:
        raise ValidationFailed(CLIENT_ARCHIVED, field="client_id")
    return client


def _line_rates(session: Session, lines: list[InvoiceLineIn],
                inclusive: bool) -> list[list[TaxRate]]:
    """The tax rates of each line, looked up in one query; unknown or retired rates are refused."""
    ids = {rate_id for line in lines for rate_id in line.tax_rate_ids}
    known = {rate.id: rate for rate in session.exec(select(TaxRate).where(TaxRate.id.in_(ids)))}
    found = []
    for n, line in enumerate(lines):
        where = {"field": f"lines.{n}.tax_rate_ids"}
        rates = [known.get(rate_id) for rate_id in line.tax_rate_ids]
        if None in rates:
            raise ValidationFailed(f"Line {n + 1}: Unknown tax rate.", **where)
        retired = [rate.name for rate in rates if not rate.is_active]
        if retired:
            raise ValidationFailed(f"Line {n + 1}: The tax rate {retired[0]} is no longer in use.",
                                   **where)
        if len({rate.rate for rate in rates}) != len(rates):
            raise ValidationFailed(f"Line {n + 1}: Two of its tax rates are the same percentage.",
                                   **where)
        if inclusive and len(rates) > 1:
            raise ValidationFailed(
                f"Line {n + 1}: With prices that include tax, a line takes one tax rate.", **where)
        found.append(rates)
    return found


def _check_products(session: Session, lines: list[InvoiceLineIn]) -> None:
    ids = {line.product_id for line in lines if line.product_id}
    known = set(session.exec(select(Product.id).where(Product.id.in_(ids))))
    for n, line in enumerate(lines):
        if line.product_id and line.product_id not in known:
            raise ValidationFailed(f"Line {n + 1}: That product does not exist.",
                                   field=f"lines.{n}.product_id")


def _price(session: Session, payload: InvoiceDraftIn, settings: Settings) -> _Priced:
    client = _client(session, payload.client_id)
    currency = payload.currency or client.currency
    rates = _line_rates(session, payload.lines, settings.prices_include_tax)
    _check_products(session, payload.lines)
    inputs = [
        LineInput(line.quantity, line.unit_price, line.discount_type, line.discount_value,
                  tuple(rate.rate for rate in line_rates))
        for line, line_rates in zip(payload.lines, rates)
    ]
    try:
        totals = compute_totals(
            inputs, currency=currency, discount_type=payload.discount_type,
            discount_value=payload.discount_value, tax_rounding=settings.tax_rounding,
            prices_include_tax=settings.prices_include_tax,
        )
    except ValueError as exc:  # the lines were checked above: what is left is the invoice discount
        raise ValidationFailed(str(exc), field="discount_value") from None
    if max(totals.subtotal, totals.total) >= MAX_AMOUNT:
        raise ValidationFailed("The invoice total is too large.", field="lines")
    due_date = payload.due_date or payload.issue_date + timedelta(days=client.payment_terms_days)
    return _Priced(payload, currency, due_date, rates, totals)


def _discount(kind, value):
    """(kind, value) as stored: no discount is (None, None)."""
    return (kind, value) if value else (None, None)


def _line_row(invoice_id: int, position: int, line: InvoiceLineIn, net: Decimal) -> InvoiceLine:
    kind, value = _discount(line.discount_type, line.discount_value)
    return InvoiceLine(invoice_id=invoice_id, position=position, product_id=line.product_id,
                       description=line.description, quantity=line.quantity, unit=line.unit,
                       unit_price=line.unit_price, discount_type=kind, discount_value=value,
                       line_net=net)


def _store(session: Session, invoice: Invoice, priced: _Priced) -> None:
    """Write the draft's fields and totals, and replace its lines and their taxes."""
    payload, totals = priced.payload, priced.totals
    replacing = invoice.id is not None
    invoice.client_id, invoice.currency = payload.client_id, priced.currency
    invoice.issue_date, invoice.due_date = payload.issue_date, priced.due_date
    invoice.discount_type, invoice.discount_value = _discount(payload.discount_type,
                                                              payload.discount_value)
    invoice.notes, invoice.terms = payload.notes, payload.terms
    invoice.subtotal, invoice.discount_total = totals.subtotal, totals.discount_total
    invoice.tax_total, invoice.total = totals.tax_total, totals.total
    invoice.balance_due = totals.total - invoice.amount_paid - invoice.amount_credited
    session.add(invoice)
    session.flush()
    if replacing:
        old_lines = select(InvoiceLine.id).where(InvoiceLine.invoice_id == invoice.id)
        session.execute(delete(InvoiceLineTax).where(InvoiceLineTax.line_id.in_(old_lines)))
        session.execute(delete(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
    rows = [_line_row(invoice.id, n, line, line_totals.net)
            for n, (line, line_totals) in enumerate(zip(payload.lines, totals.lines), 1)]
    session.add_all(rows)
    session.flush()
    session.add_all([InvoiceLineTax(line_id=row.id, tax_rate_id=rate.id, rate=rate.rate)
                     for row, rates in zip(rows, priced.rates) for rate in rates])
    session.flush()


def _summary(invoice: Invoice, lines: int) -> dict:
    return {"client_id": invoice.client_id, "currency": invoice.currency,
            "total": str(invoice.total), "lines": lines}


def _new_draft(session: Session, actor: User, payload: InvoiceDraftIn, *, company_id: int,
               settings: Settings, action: str, details: dict | None = None) -> Invoice:
    priced = _price(session, payload, settings)
    invoice = Invoice(company_id=company_id, created_by_id=actor.id, status=DRAFT,
                      prices_include_tax=settings.prices_include_tax,
                      tax_rounding=settings.tax_rounding)
    _store(session, invoice, priced)
    session.add(InvoiceStatusHistory(invoice_id=invoice.id, to_status=DRAFT,
                                     changed_by_id=actor.id))
    audit_invoice(session, actor, action, invoice.id,
                  {**_summary(invoice, len(payload.lines)), **(details or {})})
    return invoice


def invoice_create_draft(session: Session, *, actor: User, data: dict) -> Invoice:
    """A new draft. Without a due date it is due after the client's payment terms; without a
    currency it is in the client's; notes or terms left out take the company's defaults (given
    empty, they stay empty: the editor shows the defaults, and a person may clear them)."""
    require(actor, Action.INVOICES_WRITE)
    payload = _draft_in(data)
    company = current_company(session)
    payload = payload.model_copy(update={
        "notes": payload.notes if "notes" in payload.model_fields_set else company.default_notes,
        "terms": payload.terms if "terms" in payload.model_fields_set else company.default_terms,
    })
    return _new_draft(session, actor, payload, company_id=company.id, settings=company,
                      action="create_draft")


def _require_draft(invoice: Invoice) -> None:
    if invoice.status == CANCELLED:
        raise Conflict("A cancelled invoice cannot be changed.")
    if invoice.status != DRAFT:
        raise Conflict("An issued invoice cannot be changed; cancel it or issue a credit note.")


def invoice_update_draft(session: Session, *, actor: User, invoice_id: int, data: dict) -> Invoice:
    """Replace a draft's fields and lines with `data` (the whole draft, as the form holds it)."""
    require(actor, Action.INVOICES_WRITE)
    invoice = invoice_for_update(session, invoice_id)
    _require_draft(invoice)
    payload = _draft_in(data)
    _store(session, invoice, _price(session, payload, invoice))
    audit_invoice(session, actor, "update_draft", invoice.id, _summary(invoice, len(payload.lines)))
    return invoice


def invoice_preview_totals(session: Session, *, actor: User, data: dict,
                           invoice_id: int | None = None) -> DocumentTotals:
    """The totals `data` would have, checked as a save checks them, without writing anything.
    Give the invoice_id when previewing changes to an existing draft."""
    require(actor, Action.INVOICES_WRITE)
    payload = _draft_in(data)
    settings = _invoice(session, invoice_id) if invoice_id else current_company(session)
    return _price(session, payload, settings).totals


def _invoice(session: Session, invoice_id: int) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound("That invoice does not exist.")
    return invoice


def invoice_duplicate(session: Session, *, actor: User, invoice_id: int,
                      today: date | None = None) -> Invoice:
    """A new draft with the lines, discount, notes and terms of another invoice, issued today
    and due after the client's terms. Prices keep the source's tax-inclusive setting."""
    require(actor, Action.INVOICES_WRITE)
    source = _invoice(session, invoice_id)
    lines = session.exec(
        select(InvoiceLine).where(InvoiceLine.invoice_id == source.id)
        .order_by(InvoiceLine.position)
    ).all()
    taxes = defaultdict(list)
    for line_id, rate_id in session.exec(
        select(InvoiceLineTax.line_id, InvoiceLineTax.tax_rate_id)
        .join(InvoiceLine, InvoiceLine.id == InvoiceLineTax.line_id)
        .where(InvoiceLine.invoice_id == source.id)
    ):
        taxes[line_id].append(rate_id)
    payload = _draft_in({
        "client_id": source.client_id, "issue_date": today or company_today(session),
        "currency": source.currency, "discount_type": source.discount_type,
        "discount_value": source.discount_value, "notes": source.notes, "terms": source.terms,
        "lines": [
            {"product_id": line.product_id, "description": line.description,
             "quantity": line.quantity, "unit": line.unit, "unit_price": line.unit_price,
             "discount_type": line.discount_type, "discount_value": line.discount_value,
             "tax_rate_ids": taxes[line.id]}
            for line in lines
        ],
    })
    return _new_draft(session, actor, payload, company_id=source.company_id, settings=source,
                      action="duplicate", details={"from_invoice_id": source.id,
                                                   "from_number": source.number})
