"""Revenue: what was invoiced (net of credit notes) and what was collected, per month and
currency; the top clients; revenue by product.

Invoiced counts every numbered invoice in the month it was issued, cancelled ones too: a
cancellation issues a credit note for all of it, which counts in the month of the credit note,
so a month already reported never changes afterwards. Collected is the cash view of
reports/collected.py: payments on their dates less refunds on theirs (a refund of an earlier
month's payment makes its own month's figure smaller, or negative). Amounts include tax, like the invoices'
totals and the money received; "net of tax" takes the tax out of both invoices and credit notes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, literal, select, union_all
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.errors import ValidationFailed
from billing_app.models.catalog import Product
from billing_app.models.clients import Client
from billing_app.models.invoices import CreditNote, Invoice, InvoiceLine
from billing_app.models.users import User
from billing_app.reports.collected import collected_by_day
from billing_app.reports.sql import issued_between, notes_between, to_money

ZERO = Decimal(0)
NO_PRODUCT = "Other (lines without a product)"


@dataclass(frozen=True)
class RevenueMonth:
    month: date  # its first day
    currency: str
    invoiced: Decimal  # invoice totals issued in the month
    credited: Decimal  # credit notes issued in the month
    net_invoiced: Decimal  # invoiced - credited
    net_of_tax: Decimal  # net_invoiced without its tax
    collected: Decimal


@dataclass(frozen=True)
class ClientRevenue:
    client_id: int
    client_name: str
    currency: str
    net_invoiced: Decimal


@dataclass(frozen=True)
class ProductRevenue:
    product: str
    currency: str
    quantity: Decimal
    amount: Decimal  # line amounts before any invoice-level discount, without tax


@dataclass(frozen=True)
class RevenueReport:
    start: date
    end: date
    months: list[RevenueMonth]  # by month, then currency
    top_clients: list[ClientRevenue]  # per currency, largest first
    products: list[ProductRevenue]  # per currency, largest first


def _frame(rows, columns: list[str], money: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=columns)
    for column in money:
        frame[column] = [to_money(v) for v in frame[column]]
    return frame


def _by_month(frame: pd.DataFrame, money: list[str]) -> pd.DataFrame:
    """Day sums rolled up into months (SQL groups by the day itself: cheaper than computing
    each row's month, and exact all the same)."""
    frame["month"] = [day.replace(day=1) for day in frame["day"]]
    return frame.groupby(["month", "currency"], as_index=False)[money].agg(lambda s: sum(s, ZERO))


def revenue_months(session: Session, start: date, end: date) -> list[RevenueMonth]:
    invoiced = _by_month(_frame(session.execute(
        select(Invoice.issue_date, Invoice.currency, func.sum(Invoice.total),
               func.sum(Invoice.total - Invoice.tax_total))
        .where(*issued_between(start, end))
        .group_by(Invoice.issue_date, Invoice.currency)),
        ["day", "currency", "invoiced", "invoiced_net"], ["invoiced", "invoiced_net"]),
        ["invoiced", "invoiced_net"])
    credited = _by_month(_frame(session.execute(
        select(CreditNote.issue_date, CreditNote.currency, func.sum(CreditNote.total),
               func.sum(CreditNote.total - CreditNote.tax_total))
        .where(*notes_between(start, end))
        .group_by(CreditNote.issue_date, CreditNote.currency)),
        ["day", "currency", "credited", "credited_net"], ["credited", "credited_net"]),
        ["credited", "credited_net"])
    collected = _by_month(_frame(collected_by_day(session, start, end),
                                 ["day", "currency", "collected"], ["collected"]), ["collected"])
    merged = invoiced.merge(credited, on=["month", "currency"], how="outer").merge(
        collected, on=["month", "currency"], how="outer").sort_values(["month", "currency"])
    for column in ("invoiced", "invoiced_net", "credited", "credited_net", "collected"):
        merged[column] = [v if isinstance(v, Decimal) else ZERO for v in merged[column]]  # absent
    return [
        RevenueMonth(month, currency, inv, cred, inv - cred, inv_net - cred_net, coll)
        for month, currency, inv, inv_net, cred, cred_net, coll in zip(
            merged["month"], merged["currency"], merged["invoiced"], merged["invoiced_net"],
            merged["credited"], merged["credited_net"], merged["collected"])
    ]


def top_clients(session: Session, start: date, end: date, limit: int = 10) -> list[ClientRevenue]:
    amounts = union_all(
        select(Invoice.client_id, Invoice.currency, Invoice.total.label("amount"))
        .where(*issued_between(start, end)),
        select(CreditNote.client_id, CreditNote.currency, (-CreditNote.total).label("amount"))
        .where(*notes_between(start, end)),
    ).subquery("amounts")
    per_client = (
        select(amounts.c.client_id, amounts.c.currency, func.sum(amounts.c.amount).label("net"))
        .group_by(amounts.c.client_id, amounts.c.currency).subquery("per_client")
    )
    ranked = select(
        per_client,
        func.row_number().over(partition_by=per_client.c.currency,
                               order_by=(per_client.c.net.desc(), per_client.c.client_id))
        .label("rank"),
    ).subquery("ranked")
    rows = session.execute(
        select(ranked.c.client_id, Client.name, ranked.c.currency, ranked.c.net)
        .join(Client, Client.id == ranked.c.client_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.currency, ranked.c.rank)
    ).all()
    return [ClientRevenue(cid, name, currency, to_money(net)) for cid, name, currency, net in rows]


def product_revenue(session: Session, start: date, end: date, limit: int = 20) -> list[ProductRevenue]:
    name = func.coalesce(Product.name, literal(NO_PRODUCT))
    rows = session.execute(
        select(name, Invoice.currency, func.sum(InvoiceLine.quantity), func.sum(InvoiceLine.line_net))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .outerjoin(Product, Product.id == InvoiceLine.product_id)
        .where(*issued_between(start, end))
        .group_by(name, Invoice.currency)
    ).all()
    frame = _frame(rows, ["product", "currency", "quantity", "amount"], ["quantity", "amount"])
    frame = frame.sort_values(["currency", "amount"], ascending=[True, False], kind="stable")
    frame = frame.groupby("currency", sort=True).head(limit)
    return [ProductRevenue(p, c, q, a) for p, c, q, a in
            zip(frame["product"], frame["currency"], frame["quantity"], frame["amount"])]


def revenue_report(session: Session, *, actor: User, start: date, end: date) -> RevenueReport:
    require(actor, Action.REPORTS_VIEW)
    if end < start:
        raise ValidationFailed("The end of the period cannot be before its start.", field="end")
    return RevenueReport(start, end, revenue_months(session, start, end),
                         top_clients(session, start, end), product_revenue(session, start, end))
