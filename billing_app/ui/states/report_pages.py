"""Revenue, tax, DSO and forecast pages: options from the address, figures from reports/,
money formatted here (charts get plain numbers: they only draw, the tables say the cents)."""

import json
from collections.abc import Callable
from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.queries.company import company_today, current_company
from billing_app.reports.dso import FORMULA, ReceivablesFigures, dso_history
from billing_app.reports.forecast import CashForecast, cash_forecast
from billing_app.reports.params import months_back, period
from billing_app.reports.revenue import RevenueReport, revenue_report
from billing_app.reports.tax import TaxPeriod, period_label, tax_summary
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.in_thread import in_thread


def currencies_first(currencies, company_currency: str) -> list[str]:
    """The company's currency first, then the others alphabetically."""
    return sorted(set(currencies), key=lambda c: (c != company_currency, c))


class ReportPage(rx.State, mixin=True):
    """Mixed into an AuthState: a report read with options from the page's address;
    `_read` returns the figures, `_take` shows them, `_chart` draws the chosen currency."""

    query: str = ""  # the options as a query string, for the address and the export links
    error: str = ""
    loading: bool = True
    currency: str = ""  # the currency the chart shows
    currencies: list[str] = []
    _company_currency: str = ""

    def _options(self) -> dict[str, str]:
        return {}

    def _read(self, db, actor, params: dict[str, str]):
        """The report's figures for the query parameters."""

    def _take(self, result) -> None:
        """Put the figures into the page's vars."""

    def _show(self, params: dict[str, str]):
        def read(db, actor):
            return self._read(db, actor, params), current_company(db).default_currency

        result, error = self._run(Action.REPORTS_VIEW, read)
        self.loading = False
        if error is not None:
            self.error = error.message
            return None
        figures, company_currency = result
        self.error = ""
        self._company_currency = company_currency
        self._take(figures)
        if self.currency not in self.currencies:
            self.currency = self.currencies[0] if self.currencies else ""
        self._chart()
        options = {key: value for key, value in self._options().items() if value}
        self.query = f"?{urlencode(options)}" if options else ""
        return rx.call_script("window.history.replaceState(window.history.state, '', "
                              f"window.location.pathname + {json.dumps(self.query)})")

    def _chart(self) -> None:
        """Rebuild the chart's data for self.currency."""

    @rx.event
    @in_thread
    def load(self):
        self.loading = True
        return self._show({k: str(v)[:100] for k, v in self.router.url.query_parameters.items()})

    @rx.event
    def set_currency(self, value: str):
        if value in self.currencies:
            self.currency = value
            self._chart()


def _money_rows(items, fields: dict[str, Callable]) -> list[dict[str, str]]:
    return [{key: make(item) for key, make in fields.items()} for item in items]


class RevenueState(ReportPage, AuthState):
    start: str = ""
    end: str = ""
    months: list[dict[str, str]] = []
    top: list[dict[str, str]] = []
    products: list[dict[str, str]] = []
    chart: list[dict[str, float | str]] = []
    _report: RevenueReport | None = None

    def _options(self):
        return {"start": self.start, "end": self.end}

    def _read(self, db, actor, params):
        start, end = period(params, today=company_today(db))
        return revenue_report(db, actor=actor, start=start, end=end)

    def _take(self, report) -> None:
        self.start, self.end = report.start.isoformat(), report.end.isoformat()
        self._report = report
        self.currencies = currencies_first({m.currency for m in report.months}, self._company_currency)
        self.months = _money_rows(report.months, {
            "month": lambda m: m.month.strftime("%Y-%m"), "currency": lambda m: m.currency,
            "invoiced": lambda m: format_money(m.invoiced, m.currency),
            "credited": lambda m: format_money(m.credited, m.currency),
            "net": lambda m: format_money(m.net_invoiced, m.currency),
            "net_of_tax": lambda m: format_money(m.net_of_tax, m.currency),
            "collected": lambda m: format_money(m.collected, m.currency)})
        self.top = _money_rows(report.top_clients, {
            "client": lambda c: c.client_name, "currency": lambda c: c.currency,
            "amount": lambda c: format_money(c.net_invoiced, c.currency),
            "href": lambda c: f"/clients/{c.client_id}"})
        self.products = _money_rows(report.products, {
            "product": lambda p: p.product, "currency": lambda p: p.currency,
            "quantity": lambda p: f"{p.quantity.normalize():f}",
            "amount": lambda p: format_money(p.amount, p.currency)})

    def _chart(self) -> None:
        report = self._report
        self.chart = [] if report is None else [
            {"month": m.month.strftime("%Y-%m"), "Invoiced": float(m.net_invoiced),
             "Collected": float(m.collected)}
            for m in report.months if m.currency == self.currency]

    @rx.event
    def set_period(self, name: str, value: str):
        if name in ("start", "end"):
            setattr(self, name, str(value)[:10])

    @rx.event
    def apply(self):
        return self._show(self._options())


class TaxState(ReportPage, AuthState):
    start: str = ""
    end: str = ""
    period: str = TaxPeriod.MONTH.value
    lines: list[dict[str, str]] = []
    totals: list[dict[str, str]] = []

    def _options(self):
        return {"start": self.start, "end": self.end,
                "period": "" if self.period == TaxPeriod.MONTH else self.period}

    def _read(self, db, actor, params):
        start, end = period(params, today=company_today(db))
        chosen = params.get("period") if params.get("period") in TaxPeriod.__members__.values() else "month"
        return tax_summary(db, actor=actor, start=start, end=end, period=chosen)

    def _take(self, summary) -> None:
        self.start, self.end, self.period = summary.start.isoformat(), summary.end.isoformat(), summary.period.value
        self.currencies = currencies_first({t.currency for t in summary.totals}, self._company_currency)
        label = lambda day: period_label(day, summary.period)  # noqa: E731
        self.lines = _money_rows(summary.lines, {
            "period": lambda t: label(t.period), "currency": lambda t: t.currency,
            "rate": lambda t: f"{t.rate.normalize():f}%",
            "base": lambda t: format_money(t.base, t.currency),
            "tax": lambda t: format_money(t.tax, t.currency)})
        self.totals = _money_rows(summary.totals, {
            "period": lambda t: label(t.period), "currency": lambda t: t.currency,
            "invoiced": lambda t: format_money(t.tax_invoiced, t.currency),
            "credited": lambda t: format_money(t.tax_credited, t.currency),
            "net": lambda t: format_money(t.net_tax, t.currency)})

    @rx.event
    def set_option(self, name: str, value: str):
        if name in ("start", "end"):
            setattr(self, name, str(value)[:10])
        elif name == "period" and value in TaxPeriod.__members__.values():
            self.period = value

    @rx.event
    def apply(self):
        return self._show(self._options())


class DsoState(ReportPage, AuthState):
    formula: str = FORMULA
    months_shown: str = "12"
    points: list[dict[str, str]] = []
    chart: list[dict[str, float | str]] = []
    _figures: list[ReceivablesFigures] = []

    def _options(self):
        return {"months": "" if self.months_shown == "12" else self.months_shown}

    def _read(self, db, actor, params):
        months = months_back(params)
        return months, dso_history(db, actor=actor, today=company_today(db), months=months)

    def _take(self, result) -> None:
        months, figures = result
        self._figures = figures
        self.months_shown = str(months)
        self.currencies = currencies_first({f.currency for f in figures}, self._company_currency)
        self.points = _money_rows(figures, {
            "day": lambda f: f.day.isoformat(), "currency": lambda f: f.currency,
            "outstanding": lambda f: format_money(f.outstanding, f.currency),
            "invoiced": lambda f: format_money(f.invoiced_trailing, f.currency),
            "dso": lambda f: "—" if f.dso is None else f"{f.dso} days"})

    def _chart(self) -> None:
        self.chart = [{"day": f.day.isoformat(), "DSO": float(f.dso)}
                      for f in self._figures if f.currency == self.currency and f.dso is not None]

    @rx.event
    def set_months(self, value: str):
        self.months_shown = str(value).strip()[:2]

    @rx.event
    def apply(self):
        return self._show(self._options())


class ForecastState(ReportPage, AuthState):
    windows: list[dict[str, str]] = []
    backtest: str = ""
    chart: list[dict[str, float | str]] = []
    _forecast: CashForecast | None = None

    def _read(self, db, actor, params):
        return cash_forecast(db, actor=actor, today=company_today(db))

    def _take(self, forecast) -> None:
        self._forecast = forecast
        self.currencies = currencies_first({w.currency for w in forecast.windows}, self._company_currency)
        self.windows = _money_rows(forecast.windows, {
            "currency": lambda w: w.currency, "days": lambda w: f"Next {w.days} days",
            "amount": lambda w: format_money(w.amount, w.currency),
            "count": lambda w: f"{w.invoice_count:,}"})
        test = forecast.backtest
        self.backtest = (
            f"Back-test on the {test.invoices:,} invoices paid in the last year: this forecast "
            f"was off by {test.model_error_days} days on average (mean absolute error); assuming "
            f"payment on the due date was off by {test.naive_error_days} days."
            if test.invoices else "No invoice was paid in the last year, so there is nothing to test.")

    def _chart(self) -> None:
        forecast = self._forecast
        self.chart = [] if forecast is None else [
            {"window": f"{w.days} days", "Expected": float(w.amount)}
            for w in forecast.windows if w.currency == self.currency]
