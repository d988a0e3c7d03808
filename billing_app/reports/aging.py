"""Accounts receivable aging as of any day, back-dated too.

What an invoice owed on the as-of day is rebuilt from dated facts, never from today's
balance_due: its total, plus late fees charged up to that day, less payments dated up to that
day that were not voided or refunded by its end, less credit notes issued up to that day.
Invoices count once issued (numbered) up to that day and not cancelled by its end. "By the end
of the day" is the company's day (its time zone), as everywhere dates are the company's.

SQL sums the open amounts per client, currency and bucket (some 45,000 rows for a million
invoices, never the invoices themselves); pandas pivots the buckets into columns and adds the
totals. The page, the
exports and the API all call `aging_report`, so they cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, bindparam, case, cast, func, literal, or_, select
from sqlalchemy.sql import Select
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.domain.aging import (
    DEFAULT_BOUNDARIES,
    AgingBasis,
    bucket_labels,
    check_boundaries,
    edge_dates,
)
from billing_app.domain.invoice_status import CANCELLED, DRAFT
from billing_app.errors import ValidationFailed
from billing_app.models.clients import Client
from billing_app.models.invoices import CreditNote, CreditNoteStatus, Invoice
from billing_app.models.payments import Payment, PaymentAllocation, PaymentStatus
from billing_app.models.reminders import InvoiceFee
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.reports.sql import to_money

ZERO = Decimal(0)
DRILL_DOWN_LIMIT = 1000  # invoices of one client shown at once; a client has far fewer
UNITS = 4  # amounts are NUMERIC(19, 4): whole ten-thousandths are exact integers


@dataclass(frozen=True)
class AgingOptions:
    as_of: date
    basis: AgingBasis = AgingBasis.DUE_DATE
    boundaries: tuple[int, ...] = DEFAULT_BOUNDARIES
    client_id: int | None = None
    currency: str | None = None
    min_balance: Decimal | None = None  # a client's total in a currency, at least this
    only_overdue: bool = False  # only amounts past their due date on the as-of day

    def __post_init__(self):
        object.__setattr__(self, "basis", AgingBasis(self.basis))
        try:
            object.__setattr__(self, "boundaries", check_boundaries(self.boundaries))
        except ValueError as error:
            raise ValidationFailed(str(error), field="boundaries") from None
        if self.currency:
            object.__setattr__(self, "currency", self.currency.upper())

    @property
    def labels(self) -> tuple[str, ...]:
        return bucket_labels(self.basis, self.boundaries)


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to make
class AgingRow:
    client_id: int
    client_name: str
    currency: str
    buckets: tuple[Decimal, ...]
    total: Decimal
    invoice_count: int


@dataclass(frozen=True)
class AgingTotal:
    currency: str
    buckets: tuple[Decimal, ...]
    total: Decimal
    invoice_count: int
    client_count: int


@dataclass(frozen=True)
class AgingReport:
    options: AgingOptions
    labels: tuple[str, ...]
    rows: list[AgingRow]  # by currency, then client name
    totals: list[AgingTotal] = field(default_factory=list)  # one per currency

    def total_for(self, currency: str) -> AgingTotal | None:
        return next((t for t in self.totals if t.currency == currency), None)


def day_end(session: Session, day: date) -> datetime:
    """The instant the company's `day` ends: a reversal or cancellation stamped before it
    happened on or before that day."""
    zone = ZoneInfo(current_company(session).time_zone)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


@dataclass(frozen=True)
class QueryForm:
    """What decides the SQL text of a report; the dates and filter values go in as
    parameters. Each form's statement is built once (lru_cache), so SQLAlchemy neither
    rebuilds nor re-keys it per request: that alone cost more than pandas does."""

    basis: AgingBasis
    edges: int
    by_client: bool
    by_currency: bool
    only_overdue: bool

    @classmethod
    def of(cls, options: AgingOptions) -> "QueryForm":
        return cls(options.basis, len(edge_dates(options.as_of, options.basis, options.boundaries)),
                   options.client_id is not None, bool(options.currency), options.only_overdue)


def query_values(options: AgingOptions, end_of_day: datetime) -> dict:
    """The parameters of the statements built from QueryForm.of(options)."""
    values = {"as_of": options.as_of, "day_end": end_of_day, "client_id": options.client_id,
              "currency": options.currency}
    limits = edge_dates(options.as_of, options.basis, options.boundaries)
    values.update({f"edge_{i}": limit for i, limit in enumerate(limits)})
    return values


@lru_cache(maxsize=64)
def open_amounts(form: QueryForm) -> Select:
    """One row per invoice that counted on the as-of day: id, client, currency, dates, the
    parts of its balance and the open amount (which may be 0 or less: callers filter)."""
    as_of, end_of_day = bindparam("as_of"), bindparam("day_end")
    paid = (
        select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount).label("amount"))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(Payment.payment_date <= as_of,
               or_(Payment.status == PaymentStatus.COMPLETED, Payment.reversed_at >= end_of_day))
        .group_by(PaymentAllocation.invoice_id)
        .subquery("paid")
    )
    credited = (
        select(CreditNote.invoice_id, func.sum(CreditNote.total).label("amount"))
        .where(CreditNote.status == CreditNoteStatus.ISSUED, CreditNote.issue_date <= as_of)
        .group_by(CreditNote.invoice_id)
        .subquery("credited")
    )
    fees = (
        select(InvoiceFee.invoice_id, func.sum(InvoiceFee.amount).label("amount"))
        .where(InvoiceFee.charged_on <= as_of)
        .group_by(InvoiceFee.invoice_id)
        .subquery("fees")
    )
    paid_amount = func.coalesce(paid.c.amount, ZERO)
    credited_amount = func.coalesce(credited.c.amount, ZERO)
    fee_amount = func.coalesce(fees.c.amount, ZERO)
    conditions = [
        Invoice.number.is_not(None),
        Invoice.status != DRAFT,
        Invoice.issue_date <= as_of,
        or_(Invoice.status != CANCELLED, Invoice.cancelled_at >= end_of_day),
    ]
    if form.by_client:
        conditions.append(Invoice.client_id == bindparam("client_id"))
    if form.by_currency:
        conditions.append(Invoice.currency == bindparam("currency"))
    if form.only_overdue:
        conditions.append(Invoice.due_date < as_of)
    basis_date = Invoice.due_date if form.basis is AgingBasis.DUE_DATE else Invoice.issue_date
    bucket = case(*[(basis_date >= bindparam(f"edge_{i}"), literal(i)) for i in range(form.edges)],
                  else_=literal(form.edges))
    return (
        select(
            Invoice.id.label("invoice_id"), Invoice.number, Invoice.client_id, Invoice.currency,
            Invoice.issue_date, Invoice.due_date, Invoice.total,
            fee_amount.label("fees"), paid_amount.label("paid"), credited_amount.label("credited"),
            (Invoice.total + fee_amount - paid_amount - credited_amount).label("open_amount"),
            bucket.label("bucket"),
        )
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(credited, credited.c.invoice_id == Invoice.id)
        .outerjoin(fees, fees.c.invoice_id == Invoice.id)
        .where(*conditions)
    )


@lru_cache(maxsize=64)
def aging_sums(form: QueryForm) -> Select:
    """Open amounts summed per client, currency and bucket, then the client's name looked up
    for those sums only; ordered by currency and name. The sums come in whole ten-thousandths
    (UNITS), exact integers that the driver reads faster than decimals and pandas adds up as
    int64."""
    per_invoice = open_amounts(form).subquery("per_invoice")
    sums = (
        select(per_invoice.c.client_id, per_invoice.c.currency, per_invoice.c.bucket,
               cast(func.round(func.sum(per_invoice.c.open_amount) * 10**UNITS), BigInteger)
               .label("units"),
               func.count().label("invoices"))
        .where(per_invoice.c.open_amount > 0)
        .group_by(per_invoice.c.client_id, per_invoice.c.currency, per_invoice.c.bucket)
        .subquery("sums")
    )
    return (
        select(sums.c.client_id, Client.name, sums.c.currency, sums.c.bucket, sums.c.units,
               sums.c.invoices)
        .join(Client, Client.id == sums.c.client_id)
        .order_by(sums.c.currency, func.lower(Client.name), sums.c.client_id)
    )


@lru_cache(maxsize=8)
def receivables_totals(form: QueryForm) -> Select:
    """Per currency: the open amount, the part past due and how many invoices were open."""
    per_invoice = open_amounts(form).subquery("per_invoice")
    overdue = case((per_invoice.c.due_date < bindparam("as_of"), per_invoice.c.open_amount),
                   else_=ZERO)
    return (
        select(per_invoice.c.currency, func.sum(per_invoice.c.open_amount), func.sum(overdue),
               func.count())
        .where(per_invoice.c.open_amount > 0)
        .group_by(per_invoice.c.currency)
    )


def aging_report(session: Session, *, actor: User, options: AgingOptions) -> AgingReport:
    require(actor, Action.REPORTS_VIEW)
    values = query_values(options, day_end(session, options.as_of))
    return shape_aging(options, session.connection().execute(aging_sums(QueryForm.of(options)), values).all())


def _units(amount: Decimal) -> int:
    return int(amount.scaleb(UNITS))


def _money_of(units: int) -> Decimal:
    return Decimal(units).scaleb(-UNITS) if units else ZERO


def shape_aging(options: AgingOptions, sums) -> AgingReport:
    """Pivot (client, name, currency, bucket, units, count) rows, which SQL gives ordered by
    currency and client name, into one row per client and currency with a labelled column per
    bucket; then the client's total, the minimum-balance filter and the totals per currency.

    pandas works on the amounts as whole ten-thousandths in int64 (exact, and vectorised,
    unlike Decimal objects), which become Decimal at the end.
    """
    labels = options.labels
    if not sums:
        return AgingReport(options, labels, [], [])
    client_ids, names, currencies, buckets, units, counts = zip(*sums)
    ids, money_codes = np.array(client_ids), pd.factorize(np.array(currencies, dtype=object))[0]
    # SQL's order puts a client's rows in a currency next to each other: a new one starts
    # where the client or the currency changes
    new_row = np.r_[True, (ids[1:] != ids[:-1]) | (money_codes[1:] != money_codes[:-1])]
    starts, codes = np.flatnonzero(new_row), np.cumsum(new_row) - 1
    grid = np.zeros((len(starts), len(labels)), dtype=np.int64)
    grid[codes, np.array(buckets)] = np.array(units, dtype=np.int64)
    wide = pd.DataFrame(grid, columns=list(labels))
    wide["Total"] = grid.sum(axis=1)
    wide["Invoices"] = np.bincount(codes, weights=np.array(counts)).astype(np.int64)
    wide["currency"] = np.array(currencies, dtype=object)[starts]
    keep = np.arange(len(starts))
    if options.min_balance is not None:
        keep = np.flatnonzero(wide["Total"].to_numpy() >= _units(options.min_balance))
        wide = wide.iloc[keep]
    firsts = starts[keep].tolist()
    money = {0: ZERO}  # amounts repeat (round sums, and most cells are empty): make each once
    for value in np.unique(wide[[*labels, "Total"]].to_numpy()).tolist():
        money[value] = _money_of(value)
    rows = [
        AgingRow(client_ids[i], names[i], currencies[i], tuple([money[u] for u in cells[:-2]]),
                 money[cells[-2]], cells[-1])
        for i, cells in zip(firsts, wide[[*labels, "Total", "Invoices"]].to_numpy().tolist())
    ]
    per_currency = wide.groupby("currency", sort=True)
    sums_per_currency = per_currency[[*labels, "Total", "Invoices"]].sum()
    sizes = per_currency.size()
    totals = [
        AgingTotal(currency, tuple(map(_money_of, figures[:-2])), _money_of(figures[-2]),
                   int(figures[-1]), int(sizes[currency]))
        for currency, figures in zip(sums_per_currency.index, sums_per_currency.to_numpy().tolist())
    ]
    return AgingReport(options, labels, rows, totals)


@dataclass(frozen=True)
class AgingInvoice:
    invoice_id: int
    number: str
    currency: str
    issue_date: date
    due_date: date
    days_overdue: int
    bucket: int
    bucket_label: str
    total: Decimal
    fees: Decimal
    paid: Decimal
    credited: Decimal
    open_amount: Decimal


def aging_invoices(session: Session, *, actor: User, options: AgingOptions,
                   bucket: int | None = None) -> list[AgingInvoice]:
    """The invoices behind one client's figures (options.client_id), with what each had open
    on the as-of day; one bucket's, or all of them. Oldest due date first."""
    require(actor, Action.REPORTS_VIEW)
    if options.client_id is None:
        raise ValidationFailed("Choose the client whose invoices to show.", field="client_id")
    per_invoice = open_amounts(QueryForm.of(options)).subquery("per_invoice")
    query = select(per_invoice).where(per_invoice.c.open_amount > 0)
    if bucket is not None:
        query = query.where(per_invoice.c.bucket == bucket)
    query = query.order_by(per_invoice.c.due_date, per_invoice.c.invoice_id).limit(DRILL_DOWN_LIMIT)
    values = query_values(options, day_end(session, options.as_of))
    labels = options.labels
    return [
        AgingInvoice(r.invoice_id, r.number, r.currency, r.issue_date, r.due_date,
                     (options.as_of - r.due_date).days, int(r.bucket), labels[int(r.bucket)],
                     to_money(r.total), to_money(r.fees), to_money(r.paid), to_money(r.credited),
                     to_money(r.open_amount))
        for r in session.execute(query, values).all()
    ]
