"""The home page of staff: KPI cards per currency (the company's first), the revenue trend,
today's aging and the top debtors as charts, and the invoices due this week and most overdue.
Every figure carries the address of the list or report behind it."""

from datetime import timedelta
from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money
from billing_app.queries.banking import review_queue
from billing_app.queries.company import company_today, current_company
from billing_app.queries.dashboard import recent_invoices
from billing_app.reports.dashboard import (
    TREND_MONTHS,
    aging_bars,
    due_this_week,
    kpis,
    largest_overdue,
    top_debtors,
)
from billing_app.reports.revenue import revenue_months
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.formatting import invoice_view
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href
from billing_app.ui.states.report_pages import currencies_first


def _with_query(route: str, **params) -> str:
    given = {key: value for key, value in params.items() if value}
    return route + (f"?{urlencode(given)}" if given else "")


def _invoice_rows(rows) -> list[dict[str, str]]:
    return [{**invoice_view(row), "href": href(routes.INVOICE, invoice_id=row.id)} for row in rows]


def _read(db, actor):
    today = company_today(db)
    first_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    for _ in range(TREND_MONTHS - 2):
        first_month = (first_month - timedelta(days=1)).replace(day=1)
    figures = kpis(db, actor=actor, today=today)
    currencies = currencies_first([f.currency for f in figures], current_company(db).default_currency)
    month_start = today.replace(day=1).isoformat()
    cards = [
        {"currency": f.currency,
         "outstanding": format_money(f.outstanding, f.currency),
         "outstanding_href": _with_query(routes.AGING.route, currency=f.currency),
         "overdue": format_money(f.overdue, f.currency),
         "overdue_href": _with_query(routes.INVOICES.route, overdue="1", sort="due_date"),
         "collected": format_money(f.collected_this_month, f.currency),
         "collected_href": _with_query(routes.PAYMENTS.route, status="completed", **{"from": month_start}),
         "dso": "—" if f.dso is None else f"{f.dso} days",
         "dso_href": routes.DSO.route}
        for f in sorted(figures, key=lambda f: currencies.index(f.currency))
    ]
    trend = revenue_months(db, first_month, today)
    bars = aging_bars(db, actor=actor, today=today)
    debtors = top_debtors(db, actor=actor, currencies=currencies)
    return {
        "today": today, "currencies": currencies, "cards": cards,
        "trend": {c: [{"month": m.month.strftime("%Y-%m"), "Invoiced": float(m.net_invoiced),
                       "Collected": float(m.collected)} for m in trend if m.currency == c]
                  for c in currencies},
        "bars": {c: [{"bucket": b.label, "label": b.label, "Open": float(b.amount), "amount": format_money(b.amount, c),
                      "href": _with_query(routes.AGING.route, currency=c,
                                          overdue="1" if b.bucket else "")}
                     for b in bars if b.currency == c] for c in currencies},
        "debtors": {c: [{"client": d.client_name, "label": d.client_name, "Owed": float(d.balance),
                         "amount": format_money(d.balance, c),
                         "href": _with_query(href(routes.AGING_CLIENT, client_id=d.client_id), currency=c)}
                        for d in debtors if d.currency == c] for c in currencies},
        "due_week": _invoice_rows(due_this_week(db, actor=actor, today=today)),
        "overdue": _invoice_rows(largest_overdue(db, actor=actor, today=today)),
        "recent": _invoice_rows(recent_invoices(db, actor=actor)),
    }


class HomeState(AuthState):
    cards: list[dict[str, str]] = []
    currencies: list[str] = []
    currency: str = ""  # the currency the charts show
    trend: list[dict[str, float | str]] = []
    bars: list[dict[str, float | str]] = []
    debtors: list[dict[str, float | str]] = []
    due_week: list[dict[str, str]] = []
    overdue: list[dict[str, str]] = []
    recent: list[dict[str, str]] = []
    loading: bool = True
    bank_waiting: int = 0  # payments received from bank statements that wait for a decision
    _charts: dict = {}

    def _show_currency(self) -> None:
        charts = self._charts
        self.trend = charts.get("trend", {}).get(self.currency, [])
        self.bars = charts.get("bars", {}).get(self.currency, [])
        self.debtors = charts.get("debtors", {}).get(self.currency, [])

    @rx.event
    @in_thread
    def load(self):
        reads_payments = can(self.user_role, Action.PAYMENTS_READ)

        def read(db, actor):
            figures = _read(db, actor)
            waiting = review_queue(db, actor=actor, limit=1).total_count if reads_payments else 0
            return figures, waiting

        result, error = self._run(Action.REPORTS_VIEW, read)
        self.loading = False
        if error is not None:
            return rx.toast.error(error.message)
        figures, self.bank_waiting = result
        self._charts = {key: figures[key] for key in ("trend", "bars", "debtors")}
        self.cards, self.currencies = figures["cards"], figures["currencies"]
        self.due_week, self.overdue, self.recent = figures["due_week"], figures["overdue"], figures["recent"]
        if self.currency not in self.currencies:
            self.currency = self.currencies[0] if self.currencies else ""
        self._show_currency()
        return None

    @rx.event
    def set_currency(self, value: str):
        if value in self.currencies:
            self.currency = value
            self._show_currency()
