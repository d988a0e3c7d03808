"""Reports over the JSON API: the same functions as the pages and the exports, with the same
query parameters. Money is written as decimal strings ("1234.5000"), never floats."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from billing_app.api.deps import DbSession, requires
from billing_app.api.schemas import DbId
from billing_app.auth.permissions import Action
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.reports.aging import AgingInvoice, AgingReport, aging_invoices, aging_report
from billing_app.reports.dso import FORMULA, ReceivablesFigures, dso_history
from billing_app.reports.forecast import CashForecast, cash_forecast
from billing_app.reports.params import aging_options, months_back, period
from billing_app.reports.revenue import RevenueReport, revenue_report
from billing_app.reports.tax import TaxPeriod, TaxSummary, tax_summary

router = APIRouter(prefix="/reports", tags=["reports"])
Viewer = Annotated[User, Depends(requires(Action.REPORTS_VIEW))]
# The words stay the reports' own (reports/params.py); the schema states the same rules.


def _text(description: str | None = None, **rules) -> type:
    return Annotated[str | None, Query(max_length=100, description=description,
                                       json_schema_extra=rules)]


Day = _text("A date like 2026-01-31.", format="date")
Start = _text("The period's first day, like 2026-01-31: on or before end, at most ten years "
              "before it.", format="date")
End = _text("The period's last day, like 2026-12-31: on or after start.", format="date")
Basis = _text(enum=["due_date", "issue_date"])
Buckets = _text("Day boundaries in increasing order, like 30,60,90,120.",
                pattern=r"^[1-9][0-9]{0,3}(,[1-9][0-9]{0,3}){0,9}$")
Currency = _text("A currency code like EUR.", pattern="^[A-Za-z]{3}$")
ClientRef = _text("A client's id.", pattern="^[1-9][0-9]{0,8}$")
Overdue = _text(enum=["1", "true", "0", "false"])
Months = _text("1 to 60.", pattern="^([1-9]|[1-5][0-9]|60)$")
MIN_BALANCE = r"^-?[0-9]{1,15}(\.[0-9]{1,4})?$"


def _given(**params: str | None) -> dict[str, str]:
    return {key: value for key, value in params.items() if value}


def _aging_params(as_of, basis, buckets, client, currency, min_balance, overdue) -> dict[str, str]:
    return _given(as_of=as_of, basis=basis, buckets=buckets, client=client, currency=currency,
                  min=min_balance, overdue=overdue)


@router.get("/aging", response_model=AgingReport)
def get_aging(session: DbSession, user: Viewer, as_of: Day = None, basis: Basis = None,
              buckets: Buckets = None, client: ClientRef = None, currency: Currency = None,
              min_balance: Annotated[str | None, Query(alias="min", max_length=30,
                                                       json_schema_extra={"pattern": MIN_BALANCE})]
              = None,
              overdue: Overdue = None) -> AgingReport:
    """What each client owed on `as_of` (default today; back-dated too), per currency and
    bucket. basis: due_date or issue_date; buckets: day boundaries like 30,60,90,120;
    min: a client's total at least this; overdue=1: only amounts past due."""
    params = _aging_params(as_of, basis, buckets, client, currency, min_balance, overdue)
    return aging_report(session, actor=user,
                        options=aging_options(params, today=company_today(session)))


@router.get("/aging/{client_id}/invoices", response_model=list[AgingInvoice])
def get_aging_invoices(client_id: DbId, session: DbSession, user: Viewer, as_of: Day = None,
                       basis: Basis = None, buckets: Buckets = None, currency: Currency = None,
                       bucket: Annotated[int | None, Query(ge=0, le=20)] = None) -> list[AgingInvoice]:
    """The client's invoices behind its aging figures, with what each had open on the day."""
    params = _aging_params(as_of, basis, buckets, str(client_id), currency, None, None)
    return aging_invoices(session, actor=user, bucket=bucket,
                          options=aging_options(params, today=company_today(session)))


@router.get("/revenue", response_model=RevenueReport)
def get_revenue(session: DbSession, user: Viewer, start: Start = None, end: End = None) -> RevenueReport:
    """Invoiced (net of credit notes) and collected per month and currency; top clients;
    products. Default period: the twelve months up to today."""
    first, last = period(_given(start=start, end=end), today=company_today(session))
    return revenue_report(session, actor=user, start=first, end=last)


@router.get("/tax", response_model=TaxSummary)
def get_tax(session: DbSession, user: Viewer, start: Start = None, end: End = None,
            period_: Annotated[TaxPeriod, Query(alias="period")] = TaxPeriod.MONTH) -> TaxSummary:
    first, last = period(_given(start=start, end=end), today=company_today(session))
    return tax_summary(session, actor=user, start=first, end=last, period=period_)


@dataclass(frozen=True)
class DsoHistory:
    formula: str
    points: list[ReceivablesFigures]


@router.get("/dso", response_model=DsoHistory)
def get_dso(session: DbSession, user: Viewer, months: Months = None) -> DsoHistory:
    """Receivables and DSO at each month end and today."""
    return DsoHistory(FORMULA, dso_history(session, actor=user, today=company_today(session),
                                           months=months_back(_given(months=months))))


@router.get("/forecast", response_model=CashForecast)
def get_forecast(session: DbSession, user: Viewer) -> CashForecast:
    """Cash expected in the next 30/60/90 days, and the back-test of the forecast."""
    return cash_forecast(session, actor=user, today=company_today(session))
