"""Tax summary per rate and month or quarter: what a VAT return asks for.

Per rate: the taxable base (line amounts without tax, after the invoice's own discount, which
is shared over its lines in proportion) and the tax on it at that rate. Per period: the tax on
the invoices exactly as they were issued (their tax totals), the tax given back by credit
notes, and the net. Invoices count in the month they were issued, credit notes in theirs.
The rate lines are rounded once per period and rate, as a return states them; the invoices
were rounded per document, so the two may differ by a few cents, which the page shows.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import pandas as pd
from sqlalchemy import case, func, select
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import quantize_money
from billing_app.errors import ValidationFailed
from billing_app.models.invoices import CreditNote, Invoice, InvoiceLine, InvoiceLineTax
from billing_app.models.users import User
from billing_app.reports.sql import issued_between, month_start, notes_between, to_money

ZERO = Decimal(0)


class TaxPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class TaxRateLine:
    period: date  # first day of the month or quarter
    currency: str
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxPeriodTotal:
    period: date
    currency: str
    tax_invoiced: Decimal  # the invoices' tax totals
    tax_credited: Decimal  # the credit notes' tax
    net_tax: Decimal


@dataclass(frozen=True)
class TaxSummary:
    start: date
    end: date
    period: TaxPeriod
    lines: list[TaxRateLine]
    totals: list[TaxPeriodTotal]


def period_label(day: date, period: TaxPeriod) -> str:
    if period is TaxPeriod.QUARTER:
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return day.strftime("%Y-%m")


def _period_start(month: date, period: TaxPeriod) -> date:
    return month.replace(month=(month.month - 1) // 3 * 3 + 1) if period is TaxPeriod.QUARTER else month


def tax_summary(session: Session, *, actor: User, start: date, end: date,
                period: TaxPeriod | str = TaxPeriod.MONTH) -> TaxSummary:
    require(actor, Action.REPORTS_VIEW)
    period = TaxPeriod(period)
    if end < start:
        raise ValidationFailed("The end of the period cannot be before its start.", field="end")
    # the invoice discount's share: taxable / subtotal of the invoice (1 without a discount)
    share = case((Invoice.subtotal > 0, (Invoice.subtotal - Invoice.discount_total) / Invoice.subtotal),
                 else_=1)
    rate_rows = session.execute(
        select(month_start(Invoice.issue_date), Invoice.currency, InvoiceLineTax.rate,
               func.sum(InvoiceLine.line_net * share))
        .join(InvoiceLine, InvoiceLine.id == InvoiceLineTax.line_id)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(*issued_between(start, end))
        .group_by(month_start(Invoice.issue_date), Invoice.currency, InvoiceLineTax.rate)
    ).all()
    invoiced = session.execute(
        select(month_start(Invoice.issue_date), Invoice.currency, func.sum(Invoice.tax_total))
        .where(*issued_between(start, end))
        .group_by(month_start(Invoice.issue_date), Invoice.currency)).all()
    credited = session.execute(
        select(month_start(CreditNote.issue_date), CreditNote.currency, func.sum(CreditNote.tax_total))
        .where(*notes_between(start, end))
        .group_by(month_start(CreditNote.issue_date), CreditNote.currency)).all()

    rates = pd.DataFrame(rate_rows, columns=["month", "currency", "rate", "base"])
    rates["period"] = [_period_start(m, period) for m in rates["month"]]
    rates["base"] = [to_money(v) for v in rates["base"]]
    lines = []
    for (day, currency, rate), group in rates.groupby(["period", "currency", "rate"], sort=True):
        base = quantize_money(sum(group["base"], ZERO), currency)
        lines.append(TaxRateLine(day, currency, to_money(rate), base,
                                 quantize_money(base * to_money(rate) / 100, currency)))

    totals = pd.DataFrame([(m, c, to_money(t), ZERO) for m, c, t in invoiced]
                          + [(m, c, ZERO, to_money(t)) for m, c, t in credited],
                          columns=["month", "currency", "invoiced", "credited"])
    totals["period"] = [_period_start(m, period) for m in totals["month"]]
    period_totals = [
        TaxPeriodTotal(day, currency, sum(g["invoiced"], ZERO), sum(g["credited"], ZERO),
                       sum(g["invoiced"], ZERO) - sum(g["credited"], ZERO))
        for (day, currency), g in totals.groupby(["period", "currency"], sort=True)
    ]
    return TaxSummary(start, end, period, lines, period_totals)
