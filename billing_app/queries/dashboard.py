"""Headline figures for the home pages: SQL aggregates, one row per currency."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice, InvoiceStatus
from billing_app.models.users import User

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


INVOICE_COLUMNS = (
    Invoice.id, Invoice.number, Client.name, Invoice.issue_date, Invoice.due_date, Invoice.status,
    Invoice.currency, Invoice.total, Invoice.balance_due,
)


def recent_invoices(session: Session, *, actor: User, limit: int = 8) -> list[InvoiceRow]:
    require(actor, Action.INVOICES_READ)
    return _invoice_rows(
        session.exec(
            select(*INVOICE_COLUMNS)
            .join(Client, Client.id == Invoice.client_id)
            .where(Invoice.status != InvoiceStatus.DRAFT)
            .order_by(Invoice.issue_date.desc(), Invoice.id.desc())
            .limit(limit)
        ).all()
    )


def own_invoices_page(
    session: Session, *, actor: User, offset: int = 0, limit: int = 25
) -> tuple[list[InvoiceRow], int]:
    """A client user's own issued (numbered) invoices: never drafts, discarded or not, never
    another client's."""
    require(actor, Action.OWN_INVOICES_READ)
    mine = and_(Invoice.client_id == actor.client_id, Invoice.number.is_not(None))
    total = session.exec(select(func.count()).select_from(Invoice).where(mine)).one()
    rows = session.exec(
        select(*INVOICE_COLUMNS)
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
