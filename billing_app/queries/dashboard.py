"""Headline figures for the home pages: SQL aggregates, one row per currency."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice, InvoiceStatus
from billing_app.models.payments import Payment, PaymentStatus
from billing_app.models.users import User

OPEN_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE)
ZERO = Decimal("0")


@dataclass(frozen=True)
class CurrencyFigures:
    currency: str
    outstanding: Decimal
    overdue: Decimal
    overdue_count: int
    open_count: int
    invoiced_this_month: Decimal
    received_last_30_days: Decimal


def receivables_overview(session: Session, *, actor: User, today: date) -> list[CurrencyFigures]:
    require(actor, Action.DASHBOARD_VIEW)
    is_open = Invoice.status.in_(OPEN_STATUSES)
    is_overdue = and_(is_open, Invoice.due_date < today)
    month_start = today.replace(day=1)
    invoice_rows = session.exec(
        select(
            Invoice.currency,
            func.coalesce(func.sum(case((is_open, Invoice.balance_due))), ZERO),
            func.coalesce(func.sum(case((is_overdue, Invoice.balance_due))), ZERO),
            func.count(case((is_overdue, 1))),
            func.count(case((is_open, 1))),
            func.coalesce(
                func.sum(
                    case(
                        (
                            and_(
                                Invoice.issue_date >= month_start,
                                Invoice.status.notin_((InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED)),
                            ),
                            Invoice.total,
                        )
                    )
                ),
                ZERO,
            ),
        ).group_by(Invoice.currency)
    ).all()
    received = dict(
        session.exec(
            select(Payment.currency, func.sum(Payment.amount))
            .where(Payment.payment_date > today - timedelta(days=30),
                   Payment.status == PaymentStatus.COMPLETED)
            .group_by(Payment.currency)
        ).all()
    )
    return [
        CurrencyFigures(currency, Decimal(outstanding), Decimal(overdue), overdue_count, open_count,
                        Decimal(month), Decimal(received.get(currency) or ZERO))
        for currency, outstanding, overdue, overdue_count, open_count, month in invoice_rows
    ]


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: str | None
    client_name: str
    issue_date: date
    due_date: date
    status: str
    currency: str
    total: Decimal
    balance_due: Decimal


def _invoice_rows(query) -> list[InvoiceRow]:
    return [InvoiceRow(*row) for row in query]


_INVOICE_COLUMNS = (
    Invoice.id, Invoice.number, Client.name, Invoice.issue_date, Invoice.due_date, Invoice.status,
    Invoice.currency, Invoice.total, Invoice.balance_due,
)


def recent_invoices(session: Session, *, actor: User, limit: int = 8) -> list[InvoiceRow]:
    require(actor, Action.INVOICES_READ)
    return _invoice_rows(
        session.exec(
            select(*_INVOICE_COLUMNS)
            .join(Client, Client.id == Invoice.client_id)
            .where(Invoice.status != InvoiceStatus.DRAFT)
            .order_by(Invoice.issue_date.desc(), Invoice.id.desc())
            .limit(limit)
        ).all()
    )


def own_invoices_page(
    session: Session, *, actor: User, offset: int = 0, limit: int = 25
) -> tuple[list[InvoiceRow], int]:
    """A client user's own issued invoices: never drafts, never another client's."""
    require(actor, Action.OWN_INVOICES_READ)
    mine = and_(Invoice.client_id == actor.client_id, Invoice.status != InvoiceStatus.DRAFT)
    total = session.exec(select(func.count()).select_from(Invoice).where(mine)).one()
    rows = session.exec(
        select(*_INVOICE_COLUMNS)
        .join(Client, Client.id == Invoice.client_id)
        .where(mine)
        .order_by(Invoice.issue_date.desc(), Invoice.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return _invoice_rows(rows), total


def own_balance(session: Session, *, actor: User) -> list[tuple[str, Decimal]]:
    """What the client user's company still owes, per currency."""
    require(actor, Action.OWN_INVOICES_READ)
    return [
        (currency, Decimal(amount))
        for currency, amount in session.exec(
            select(Invoice.currency, func.sum(Invoice.balance_due))
            .where(Invoice.client_id == actor.client_id, Invoice.status.in_(OPEN_STATUSES))
            .group_by(Invoice.currency)
        ).all()
    ]
