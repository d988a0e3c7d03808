"""The aging report page and its drill-down: options from the address, figures from
reports.aging (the same function the exports and the API call)."""

import dataclasses
import json
from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.errors import NotFound
from billing_app.models.clients import Client
from billing_app.queries.company import company_today
from billing_app.reports.aging import AgingOptions, aging_invoices, aging_report
from billing_app.reports.params import aging_options, aging_params
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.client_choice import MAX_TEXT, client_option, client_options, picked_client
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href


@dataclasses.dataclass
class AgingLine:
    """One client (or the total) in one currency: a cell per bucket, each a link."""

    client: str = ""
    client_href: str = ""
    currency: str = ""
    cells: list[dict[str, str]] = dataclasses.field(default_factory=list)  # amount, href
    total: str = ""
    count: str = ""


def _query(params: dict[str, str]) -> str:
    return f"?{urlencode(params)}" if params else ""


def drill_href(options: AgingOptions, client_id: int, currency: str, bucket: int | None = None) -> str:
    extra = {"currency": currency, **({"bucket": bucket} if bucket is not None else {})}
    params = aging_params(options, **extra)
    params.pop("client", None)
    return href(routes.AGING_CLIENT, client_id=client_id) + _query(params)


class AgingState(AuthState):
    as_of: str = ""
    basis: str = "due_date"
    buckets: str = "30, 60, 90, 120"
    client_text: str = ""
    client_options: list[str] = []
    currency: str = ""
    min_balance: str = ""
    only_overdue: bool = False

    labels: list[str] = []
    rows: list[AgingLine] = []
    totals: list[AgingLine] = []
    query: str = ""  # the report's options as a query string, for the address and the exports
    error: str = ""
    error_field: str = ""
    loading: bool = True

    def _params(self) -> dict[str, str]:
        return {"as_of": self.as_of, "basis": self.basis, "buckets": self.buckets,
                "client": str(picked_client(self.client_text) or ""), "currency": self.currency,
                "min": self.min_balance, "overdue": "1" if self.only_overdue else ""}

    def _show(self, params: dict[str, str]):
        def read(db, actor):
            options = aging_options(params, today=company_today(db))
            client = db.get(Client, options.client_id) if options.client_id else None
            client_name = client_option(client.id, client.name) if client else ""
            return options, aging_report(db, actor=actor, options=options), client_name

        result, error = self._run(Action.REPORTS_VIEW, read)
        self.loading = False
        if error is not None:
            self.error, self.error_field = error.message, error.field or ""
            return None
        options, report, client_name = result
        self.error = self.error_field = ""
        self.as_of, self.basis = options.as_of.isoformat(), options.basis.value
        self.buckets = ", ".join(str(b) for b in options.boundaries)
        self.currency, self.only_overdue = options.currency or "", options.only_overdue
        self.min_balance = "" if options.min_balance is None else f"{options.min_balance:f}"
        self.client_text = client_name
        self.labels = list(report.labels)
        self.rows = [
            AgingLine(row.client_name, drill_href(options, row.client_id, row.currency), row.currency,
                      [{"amount": format_money(amount, row.currency),
                        "href": drill_href(options, row.client_id, row.currency, i) if amount else ""}
                       for i, amount in enumerate(row.buckets)],
                      format_money(row.total, row.currency), f"{row.invoice_count:,}")
            for row in report.rows
        ]
        self.totals = [
            AgingLine(f"Total {t.currency} ({t.client_count:,} clients)", "", t.currency,
                      [{"amount": format_money(a, t.currency), "href": ""} for a in t.buckets],
                      format_money(t.total, t.currency), f"{t.invoice_count:,}")
            for t in report.totals
        ]
        self.query = _query(aging_params(options))
        return rx.call_script("window.history.replaceState(window.history.state, '', "
                              f"window.location.pathname + {json.dumps(self.query)})")

    @rx.event
    @in_thread
    def load(self):
        self.loading = True
        params = dict(self.router.url.query_parameters)
        return self._show({key: str(value)[:100] for key, value in params.items()})

    @rx.event
    def apply(self):
        """Show the report for the options in the form."""
        self.loading = True
        yield
        yield self._show(self._params())

    @rx.event
    def set_field(self, name: str, value):
        """The form's controls; applied with the Show report button."""
        if name in ("as_of", "basis", "buckets", "currency", "min_balance"):
            setattr(self, name, str(value)[:100])
        elif name == "only_overdue":
            self.only_overdue = value is True

    @rx.event
    def search_client(self, text: str):
        self.client_text = str(text)[:MAX_TEXT]
        if picked_client(self.client_text) is not None or not self.client_text.strip():
            self.client_options = []
            return
        result, _ = self._run(Action.REPORTS_VIEW,
                              lambda db, actor: client_options(db, actor, self.client_text))
        self.client_options = result or []


class AgingClientState(AuthState):
    """One client's invoices behind an aging cell, with what each had open on the day."""

    title: str = ""
    rows: list[dict[str, str]] = []
    total: str = ""
    back_href: str = ""
    error: str = ""
    loading: bool = True

    @rx.event
    @in_thread
    def load(self):
        client_id = path_id(self.router.url.path, "/reports/aging")
        params = {key: str(value)[:100] for key, value in self.router.url.query_parameters.items()}

        def read(db, actor):
            if client_id is None:
                raise NotFound("There is no such client.")
            options = aging_options({**params, "client": str(client_id)}, today=company_today(db))
            bucket = params.get("bucket", "")
            chosen = int(bucket) if bucket.isdigit() and int(bucket) < len(options.labels) else None
            invoices = aging_invoices(db, actor=actor, options=options, bucket=chosen)
            client = db.get(Client, client_id)
            if client is None:
                raise NotFound("There is no such client.")
            return options, chosen, invoices, client.name

        result, error = self._run(Action.REPORTS_VIEW, read)
        self.loading = False
        if error is not None:
            self.error = error.message
            return
        options, chosen, invoices, name = result
        part = options.labels[chosen] if chosen is not None else "all buckets"
        self.title = f"{name}: {part}, as of {options.as_of.isoformat()}"
        self.rows = [
            {"number": i.number, "href": href(routes.INVOICE, invoice_id=i.invoice_id),
             "issue_date": i.issue_date.isoformat(), "due_date": i.due_date.isoformat(),
             "days": str(max(i.days_overdue, 0)), "bucket": i.bucket_label,
             "total": format_money(i.total + i.fees, i.currency),
             "paid": format_money(i.paid + i.credited, i.currency),
             "open": format_money(i.open_amount, i.currency)}
            for i in invoices
        ]
        currency = options.currency or (invoices[0].currency if invoices else "EUR")
        self.total = format_money(sum((i.open_amount for i in invoices), 0), currency)
        back = aging_params(options)
        back.pop("client", None)
        self.back_href = routes.AGING.route + _query(back)
        self.error = ""
