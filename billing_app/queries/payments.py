"""Reads of payments, allocations, client credit and credit notes for the UI and the API."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import any_, func, or_
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, can, require
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.banking import BankStatementLine
from billing_app.models.clients import Client
from billing_app.models.invoices import CreditNote, Invoice
from billing_app.models.payments import (
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundPart,
    RefundStatus,
)
from billing_app.models.reminders import InvoiceFee
from billing_app.models.users import User
from billing_app.queries.patterns import ESCAPE, like_escaped

MAX_PAGE = 200
UNALLOCATED = Payment.amount - Payment.amount_allocated - Payment.amount_refunded
"""Payment.unallocated in SQL: a completed payment's part that is the client's credit."""
MAX_OPEN_INVOICES = 200
"""The most open invoices an allocation editor lists (the oldest due first)."""
FEW = 5000
"""Up to this many matches, a filtered page is read by sorting all matches (see payments_page)."""


@dataclass(frozen=True)
class PaymentRow:
    payment: Payment
    client_name: str


@dataclass(frozen=True)
class PaymentPage:
    rows: list[PaymentRow]
    total: int


@dataclass(frozen=True)
class AllocationRow:
    allocation_id: int
    payment_id: int
    invoice_id: int
    invoice_number: str | None
    amount: Decimal
    payment_date: date
    method: str
    reference: str | None
    payment_status: str
    currency: str


@dataclass(frozen=True)
class PaymentDetail:
    payment: Payment
    client_name: str
    allocations: list[AllocationRow]


@dataclass(frozen=True)
class OpenInvoice:
    id: int
    number: str | None
    due_date: date
    currency: str
    balance_due: Decimal


def open_invoices(session: Session, *, actor: User, client_id: int,
                  currency: str | None = None) -> list[OpenInvoice]:
    """The client's invoices a payment can go on (open, something left to pay), the oldest due
    date first, then the lowest id; only those in `currency` when it is given."""
    require(actor, Action.PAYMENTS_READ)
    query = (select(Invoice.id, Invoice.number, Invoice.due_date, Invoice.currency, Invoice.balance_due)
             .where(Invoice.client_id == client_id, Invoice.status.in_(OPEN_STATUSES),
                    Invoice.balance_due > 0)
             .order_by(Invoice.due_date, Invoice.id).limit(MAX_OPEN_INVOICES))
    if currency:
        query = query.where(Invoice.currency == currency)
    return [OpenInvoice(*row) for row in session.exec(query).all()]


def _choice(enum, value: str | None, field: str, label: str):
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        raise ValidationFailed(f"Choose a {label} from the list.", field=field) from None


def payments_page(session: Session, *, actor: User, search: str = "", client_id: int | None = None,
                  status: str | None = None, method: str | None = None,
                  date_from: date | None = None, date_to: date | None = None,
                  offset: int = 0, limit: int = 50) -> PaymentPage:
    """Newest first; search finds the reference or the client's name."""
    require(actor, Action.PAYMENTS_READ)
    limit = max(1, min(limit, MAX_PAGE))
    conditions = _payment_conditions(session, search, client_id, status, method, date_from, date_to)
    total = session.exec(select(func.count()).select_from(Payment).where(*conditions)).one()
    page = (select(Payment, Client.name).join(Client, Client.id == Payment.client_id)
            .order_by(Payment.payment_date.desc(), Payment.id.desc())
            .offset(max(offset, 0)).limit(limit))
    if conditions and total <= FEW:
        # few matches (a search): take them all through their indexes, then sort; walking
        # the date index for a page of them would read every payment
        matched = (select(Payment.id).where(*conditions).cte("matched")
                   .prefix_with("MATERIALIZED", dialect="postgresql"))
        page = page.where(Payment.id.in_(select(matched.c.id)))
    else:
        page = page.where(*conditions)
    rows = session.exec(page).all()
    return PaymentPage(rows=[PaymentRow(payment, name) for payment, name in rows], total=total)


def _payment_conditions(session: Session, search: str, client_id: int | None, status: str | None,
                        method: str | None, date_from: date | None, date_to: date | None) -> list:
    conditions = []
    if search.strip():
        pattern = f"%{like_escaped(search.strip())}%"
        named = select(Client.id).where(Client.name.ilike(pattern, escape=ESCAPE))
        # as an array, the clients found let PostgreSQL combine two indexes (a BitmapOr)
        by_client = (Payment.client_id == any_(func.array(named.scalar_subquery()))
                     if session.get_bind().dialect.name == "postgresql"
                     else Payment.client_id.in_(named))
        conditions.append(or_(Payment.reference.ilike(pattern, escape=ESCAPE), by_client))
    if client_id is not None:
        conditions.append(Payment.client_id == client_id)
    if (chosen := _choice(PaymentStatus, status, "status", "status")) is not None:
        conditions.append(Payment.status == chosen)
    if (chosen := _choice(PaymentMethod, method, "method", "method")) is not None:
        conditions.append(Payment.method == chosen)
    if date_from is not None:
        conditions.append(Payment.payment_date >= date_from)
    if date_to is not None:
        conditions.append(Payment.payment_date <= date_to)
    return conditions


PAYMENT_EXPORT_COLUMNS = ("payment_date", "client", "reference", "method", "status", "currency",
                          "amount", "amount_allocated")


def payments_export_query(session: Session, *, actor: User, search: str = "",
                          client_id: int | None = None, status: str | None = None,
                          method: str | None = None, date_from: date | None = None,
                          date_to: date | None = None):
    """Every payment the list's filters match, newest first, as one statement for an export
    to stream (PAYMENT_EXPORT_COLUMNS)."""
    require(actor, Action.PAYMENTS_READ)
    conditions = _payment_conditions(session, search, client_id, status, method, date_from, date_to)
    return (select(Payment.payment_date, Client.name, Payment.reference, Payment.method,
                   Payment.status, Payment.currency, Payment.amount, Payment.amount_allocated)
            .join(Client, Client.id == Payment.client_id).where(*conditions)
            .order_by(Payment.payment_date.desc(), Payment.id.desc()))


def _allocation_rows(session: Session, *conditions) -> list[AllocationRow]:
    rows = session.exec(
        select(PaymentAllocation, Payment, Invoice.number)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
        .where(*conditions).order_by(Payment.payment_date, PaymentAllocation.id)).all()
    return [AllocationRow(allocation_id=a.id, payment_id=p.id, invoice_id=a.invoice_id,
                          invoice_number=number, amount=a.amount, payment_date=p.payment_date,
                          method=p.method, reference=p.reference, payment_status=p.status,
                          currency=p.currency)
            for a, p, number in rows]


def payment_detail(session: Session, *, actor: User, payment_id: int) -> PaymentDetail:
    require(actor, Action.PAYMENTS_READ)
    return payment_with_allocations(session, payment_id)


def payment_with_allocations(session: Session, payment_id: int) -> PaymentDetail:
    """No permission check: for payment_detail and for a client's own receipt, which check."""
    found = session.exec(select(Payment, Client.name).join(Client, Client.id == Payment.client_id)
                         .where(Payment.id == payment_id)).first()
    if found is None:
        raise NotFound("That payment does not exist.")
    payment, client_name = found
    return PaymentDetail(payment=payment, client_name=client_name,
                         allocations=_allocation_rows(session,
                                                      PaymentAllocation.payment_id == payment_id))


def _invoice_readable(session: Session, actor: User, invoice_id: int, staff: Action) -> None:
    """Staff with `staff` read any invoice's money; a client user only its own client's issued
    invoices' (anything else is "not found", as if it did not exist)."""
    if actor.is_active and can(actor.role, staff):
        return
    own_client = require(actor, Action.OWN_INVOICES_READ).client_id
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.client_id != own_client or invoice.number is None:
        raise NotFound("That invoice does not exist.")


def invoice_payments(session: Session, *, actor: User, invoice_id: int) -> list[AllocationRow]:
    """The payments on an invoice, voided and refunded ones too (their status says so)."""
    _invoice_readable(session, actor, invoice_id, Action.PAYMENTS_READ)
    return _allocation_rows(session, PaymentAllocation.invoice_id == invoice_id)


def client_credit(session: Session, client_id: int) -> dict[str, Decimal]:
    """Per currency, what the client paid and is not yet allocated to an invoice.
    No permission check: a building block for pages, services and the API."""
    rows = session.exec(
        select(Payment.currency, func.sum(UNALLOCATED))
        .where(Payment.client_id == client_id, Payment.status == PaymentStatus.COMPLETED,
               UNALLOCATED > 0)
        .group_by(Payment.currency).order_by(Payment.currency)).all()
    return {currency: Decimal(amount) for currency, amount in rows}


@dataclass(frozen=True)
class CreditNoteRow:
    credit_note: CreditNote
    invoice_number: str | None


def credit_notes(session: Session, *, actor: User, invoice_id: int | None = None,
                 client_id: int | None = None, limit: int = 100) -> list[CreditNoteRow]:
    """Credit notes of an invoice (a client user: of its own) or a client, newest first."""
    if invoice_id is not None and client_id is None:
        _invoice_readable(session, actor, invoice_id, Action.INVOICES_READ)
    else:
        require(actor, Action.INVOICES_READ)
    conditions = []
    if invoice_id is not None:
        conditions.append(CreditNote.invoice_id == invoice_id)
    if client_id is not None:
        conditions.append(CreditNote.client_id == client_id)
    rows = session.exec(select(CreditNote, Invoice.number)
                        .join(Invoice, Invoice.id == CreditNote.invoice_id).where(*conditions)
                        .order_by(CreditNote.issue_date.desc(), CreditNote.id.desc())
                        .limit(max(1, min(limit, MAX_PAGE)))).all()
    return [CreditNoteRow(note, number) for note, number in rows]


@dataclass(frozen=True)
class StatementEntry:
    """One row of a client's account statement."""

    on: date
    kind: str  # invoice, fee, credit_note, payment, refund, return
    document: str
    debit: Decimal  # what the client owes more
    credit: Decimal  # what the client owes less
    balance: Decimal  # running: positive means the client owes


@dataclass(frozen=True)
class ClientStatement:
    currency: str
    opening_balance: Decimal
    entries: list[StatementEntry]
    closing_balance: Decimal


def _statement_rows(session: Session, client_id: int, currency: str):
    """(date, order, kind, document, debit, credit) of every issued invoice, late fee, credit
    note, payment received and refund of the client in the currency."""
    zero = Decimal(0)
    invoices = session.exec(select(Invoice.issue_date, Invoice.number, Invoice.total).where(
        Invoice.client_id == client_id, Invoice.currency == currency,
        Invoice.number.is_not(None))).all()
    notes = session.exec(select(CreditNote.issue_date, CreditNote.number, CreditNote.total).where(
        CreditNote.client_id == client_id, CreditNote.currency == currency)).all()
    bank_returned_on = (  # the booking date of the bank line that took the payment back
        select(func.max(BankStatementLine.booking_date))
        .where(BankStatementLine.payment_id == Payment.id, BankStatementLine.amount < 0)
        .scalar_subquery())
    payments = session.exec(select(Payment, bank_returned_on).where(
        Payment.client_id == client_id, Payment.currency == currency,
        Payment.status != PaymentStatus.VOID)).all()
    fees = session.exec(
        select(InvoiceFee.charged_on, Invoice.number, InvoiceFee.description, InvoiceFee.amount)
        .join(Invoice, Invoice.id == InvoiceFee.invoice_id)
        .where(Invoice.client_id == client_id, Invoice.currency == currency)).all()
    rows = [(day, 0, "invoice", number, total, zero) for day, number, total in invoices]
    rows += [(day, 1, "fee", f"{number}: {description}", amount, zero)
             for day, number, description, amount in fees]
    rows += [(day, 2, "credit_note", number, zero, total) for day, number, total in notes]
    for payment, returned_on in payments:
        label = payment.reference or f"Payment {payment.id}"
        rows.append((payment.payment_date, 3, "payment", label, zero, payment.amount))
        if payment.status == PaymentStatus.REFUNDED:  # what partial refunds had left of it
            rows.append((payment.reversed_at.date(), 4, "refund", label,
                         payment.amount - payment.amount_refunded, zero))
        elif payment.status == PaymentStatus.RETURNED:  # the bank took it back
            rows.append((returned_on or payment.reversed_at.date(), 4, "return", label,
                         payment.amount, zero))
    refunds = session.exec(select(Refund).where(
        Refund.client_id == client_id, Refund.currency == currency,
        Refund.status == RefundStatus.COMPLETED)).all()  # one that came back is as if never made
    rows += [(refund.refund_date, 4, "refund", f"Refund {refund.id}: {refund.reason}",
              refund.amount, zero) for refund in refunds]
    return sorted(rows, key=lambda row: row[:2])


@dataclass(frozen=True)
class RefundRow:
    refund: Refund
    client_name: str


def refunds_list(session: Session, *, actor: User, payment_id: int | None = None,
                 client_id: int | None = None, limit: int = 100) -> list[RefundRow]:
    """Refunds of a payment (those that came out of it, credit refunds too) or of a client,
    newest first, undone ones too (their status says so)."""
    require(actor, Action.PAYMENTS_READ)
    query = select(Refund, Client.name).join(Client, Client.id == Refund.client_id)
    if payment_id is not None:
        query = query.where(Refund.id.in_(select(RefundPart.refund_id)
                                          .where(RefundPart.payment_id == payment_id)))
    if client_id is not None:
        query = query.where(Refund.client_id == client_id)
    rows = session.exec(query.order_by(Refund.refund_date.desc(), Refund.id.desc())
                        .limit(max(1, min(limit, MAX_PAGE)))).all()
    return [RefundRow(refund, name) for refund, name in rows]


def client_statement(session: Session, *, actor: User, client_id: int, currency: str | None = None,
                     date_from: date | None = None, date_to: date | None = None) -> ClientStatement:
    """Invoices, late fees, credit notes, payments and refunds of one client in date order with a
    running balance; before `date_from` they are summed into the opening balance."""
    require(actor, Action.PAYMENTS_READ)
    return statement_of(session, client_id, currency=currency, date_from=date_from,
                        date_to=date_to)


def statement_of(session: Session, client_id: int, *, currency: str | None = None,
                 date_from: date | None = None, date_to: date | None = None) -> ClientStatement:
    """client_statement without the permission check, for a client's own statement PDF."""
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("That client does not exist.")
    currency = currency or client.currency
    opening, entries = Decimal(0), []
    for day, _, kind, document, debit, credit in _statement_rows(session, client_id, currency):
        if date_to is not None and day > date_to:
            break
        if date_from is not None and day < date_from:
            opening += debit - credit
            continue
        balance = (entries[-1].balance if entries else opening) + debit - credit
        entries.append(StatementEntry(day, kind, document, debit, credit, balance))
    return ClientStatement(currency=currency, opening_balance=opening, entries=entries,
                           closing_balance=entries[-1].balance if entries else opening)
