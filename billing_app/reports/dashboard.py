"""The manager's home page: figures that must show within a second and a half at a million
invoices, so everything here reads today's balances (invoices.balance_due, which every
payment, credit note and fee keeps exact at once) through the status/due-date indexes rather
than rebuilding the past like the aging report does. For today both give the same amounts.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, literal, select
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.domain.aging import DEFAULT_BOUNDARIES, AgingBasis, bucket_labels, edge_dates
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.models.clients import Client
from billing_app.models.invoices import CreditNote, Invoice
from billing_app.models.users import User
from billing_app.queries.dashboard import INVOICE_COLUMNS, InvoiceRow
from billing_app.reports.collected import collected_per_currency
from billing_app.reports.dso import WINDOW_DAYS, dso_of
from billing_app.reports.sql import issued_between, notes_between, to_money

ZERO = Decimal(0)
TREND_MONTHS = 12


@dataclass(frozen=True)
class Kpis:
    currency: str
    outstanding: Decimal
    overdue: Decimal
    collected_this_month: Decimal
    invoiced_window: Decimal  # net of credit notes, the WINDOW_DAYS up to today
    dso: Decimal | None


@dataclass(frozen=True)
class AgingBar:
    currency: str
    bucket: int
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Debtor:
    client_id: int
    client_name: str
    currency: str
    balance: Decimal


def _open():
    return (Invoice.status.in_(OPEN_STATUSES), Invoice.balance_due > 0)


def kpis(session: Session, *, actor: User, today: date) -> list[Kpis]:
    require(actor, Action.REPORTS_VIEW)
    open_rows = session.execute(
        select(Invoice.currency, func.sum(Invoice.balance_due),
               func.sum(case((Invoice.due_date < today, Invoice.balance_due), else_=ZERO)))
        .where(*_open()).group_by(Invoice.currency)).all()
    collected = collected_per_currency(session, today.replace(day=1), today)
    first = today - timedelta(days=WINDOW_DAYS - 1)
    invoiced = dict(session.execute(select(Invoice.currency, func.sum(Invoice.total))
                                    .where(*issued_between(first, today)).group_by(Invoice.currency)).all())
    credited = dict(session.execute(select(CreditNote.currency, func.sum(CreditNote.total))
                                    .where(*notes_between(first, today)).group_by(CreditNote.currency)).all())
    outstanding = {currency: (to_money(o), to_money(d)) for currency, o, d in open_rows}
    figures = []
    for currency in sorted(set(outstanding) | set(collected) | set(invoiced)):
        owed, overdue = outstanding.get(currency, (ZERO, ZERO))
        window = to_money(invoiced.get(currency)) - to_money(credited.get(currency))
        figures.append(Kpis(currency, owed, overdue, to_money(collected.get(currency)), window,
                            dso_of(owed, window)))
    return figures


def aging_bars(session: Session, *, actor: User, today: date) -> list[AgingBar]:
    """Today's open amounts per currency and default bucket (by due date)."""
    require(actor, Action.REPORTS_VIEW)
    labels = bucket_labels(AgingBasis.DUE_DATE, DEFAULT_BOUNDARIES)
    limits = edge_dates(today, AgingBasis.DUE_DATE, DEFAULT_BOUNDARIES)
    bucket = case(*[(Invoice.due_date >= limit, literal(i)) for i, limit in enumerate(limits)],
                  else_=literal(len(limits)))
    rows = dict(((currency, int(b)), to_money(amount)) for currency, b, amount in session.execute(
        select(Invoice.currency, bucket, func.sum(Invoice.balance_due))
        .where(*_open()).group_by(Invoice.currency, bucket)).all())
    return [AgingBar(currency, i, label, rows.get((currency, i), ZERO))
            for currency in sorted({c for c, _ in rows}) for i, label in enumerate(labels)]


def top_debtors(session: Session, *, actor: User, currencies: list[str], limit: int = 5) -> list[Debtor]:
    """The clients owing most in each of the currencies (a top-N per currency: cheaper than
    ranking every client)."""
    require(actor, Action.REPORTS_VIEW)
    debtors = []
    for currency in currencies:
        owed = func.sum(Invoice.balance_due).label("owed")
        top = (select(Invoice.client_id, owed).where(*_open(), Invoice.currency == currency)
               .group_by(Invoice.client_id).order_by(owed.desc(), Invoice.client_id).limit(limit)
               .subquery())
        debtors += [Debtor(cid, name, currency, to_money(amount)) for cid, name, amount in session.execute(
            select(top.c.client_id, Client.name, top.c.owed).join(Client, Client.id == top.c.client_id)
            .order_by(top.c.owed.desc(), top.c.client_id)).all()]
    return debtors


def due_this_week(session: Session, *, actor: User, today: date, limit: int = 8) -> list[InvoiceRow]:
    require(actor, Action.REPORTS_VIEW)
    return [InvoiceRow(*row) for row in session.execute(
        select(*INVOICE_COLUMNS).join(Client, Client.id == Invoice.client_id)
        .where(*_open(), Invoice.due_date >= today, Invoice.due_date <= today + timedelta(days=7))
        .order_by(Invoice.due_date, Invoice.id).limit(limit)).all()]


def largest_overdue(session: Session, *, actor: User, today: date, limit: int = 8) -> list[InvoiceRow]:
    require(actor, Action.REPORTS_VIEW)
    largest = (select(Invoice.id).where(*_open(), Invoice.due_date < today)
               .order_by(Invoice.balance_due.desc(), Invoice.id).limit(limit).subquery())
    return [InvoiceRow(*row) for row in session.execute(
        select(*INVOICE_COLUMNS).join(Client, Client.id == Invoice.client_id)
        .where(Invoice.id.in_(select(largest.c.id)))
        .order_by(Invoice.balance_due.desc(), Invoice.id)).all()]
