"""The invoice list: server-side filters, sort and paging, totals of the filtered set, selection.

The filters live in the URL's query string (q, status, from, to, overdue, sort), so a filtered
list can be bookmarked or shared.
"""

import json
from datetime import date
from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money
from billing_app.queries.invoices import invoices_page
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.formatting import STATUS_LABELS, invoice_view
from billing_app.ui.states.links import href
from billing_app.ui.states.paging import Paging

STATUS_OPTIONS = [("", "All"), *STATUS_LABELS.items()]
SORT_OPTIONS = [("-issue_date", "Newest first"), ("issue_date", "Oldest first"), ("number", "Number"),
                ("due_date", "Due date"), ("-total", "Amount high–low")]
DEFAULT_SORT = SORT_OPTIONS[0][0]
DATE_FIELDS = {"date_from": "from", "date_to": "to"}  # state var -> query parameter
BAD_DATE = "Enter a date like 2026-01-31."


def _date(value: str) -> date | None:
    """The date typed, None when blank; ValueError when it is no date."""
    return date.fromisoformat(value) if value else None


def _row_view(row) -> dict[str, str]:
    return {**invoice_view(row), "number": row.number or f"Draft #{row.id}",
            "href": href(routes.INVOICE, invoice_id=row.id)}


def _sum_view(currency_sum) -> dict[str, str]:
    count = currency_sum.count
    return {
        "currency": currency_sum.currency,
        "count": f"{count:,} invoice{'' if count == 1 else 's'}",
        "total": format_money(currency_sum.total, currency_sum.currency),
        "balance": format_money(currency_sum.balance_due, currency_sum.currency),
    }


class InvoicesState(Paging, AuthState):
    rows: list[dict[str, str]] = []
    sums: list[dict[str, str]] = []
    loading: bool = True
    can_write: bool = False

    search: str = ""
    status: str = ""
    date_from: str = ""
    date_to: str = ""
    overdue_only: bool = False
    sort: str = DEFAULT_SORT
    errors: dict[str, str] = {}

    selected: list[str] = []  # invoice ids, kept while paging, cleared when the filters change
    _totals_fresh: bool = False  # count and sums of the current filters are shown already

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def page_selected(self) -> bool:
        return bool(self.rows) and all(row["id"] in self.selected for row in self.rows)

    def _reload(self):
        """One page of rows; the count and sums over the whole filtered set (which cost a scan of
        it) only when the filters changed, not on every page turn."""
        with_totals = not self._totals_fresh

        def read(db, actor):
            page = invoices_page(
                db, actor=actor, search=self.search, status=self.status or None,
                date_from=_date(self.date_from), date_to=_date(self.date_to),
                overdue=True if self.overdue_only else None, sort=self.sort,
                offset=self.offset, limit=self.page_size, totals=with_totals,
            )
            return ([_row_view(row) for row in page.rows], page.total_count,
                    [_sum_view(s) for s in page.sums], can(actor.role, Action.INVOICES_WRITE))

        result, error = self._run(Action.INVOICES_READ, read)
        self.loading = False
        if error:
            return rx.toast.error(error.message)
        rows, total, sums, self.can_write = result
        self.rows = rows
        if with_totals:
            self.total, self.sums, self._totals_fresh = total, sums, True
        return None

    def _query_string(self) -> str:
        params = {"q": self.search, "status": self.status, "from": self.date_from, "to": self.date_to,
                  "overdue": "1" if self.overdue_only else "",
                  "sort": "" if self.sort == DEFAULT_SORT else self.sort}
        query = urlencode({key: value for key, value in params.items() if value})
        return f"?{query}" if query else ""

    def _refilter(self):
        """Back to the first page of the new filter, and the filter into the address bar."""
        self.offset = 0
        self.selected = []
        self._totals_fresh = False
        self.loading = True
        yield
        yield self._reload()
        yield rx.call_script("window.history.replaceState(window.history.state, '', "
                             f"window.location.pathname + {json.dumps(self._query_string())})")

    @rx.event
    def load(self):
        params = self.router.url.query_parameters
        self.search = params.get("q", "")[:100]
        self.status = params.get("status", "") if params.get("status") in STATUS_LABELS else ""
        self.sort = params.get("sort", "") if params.get("sort") in dict(SORT_OPTIONS) else DEFAULT_SORT
        self.overdue_only = params.get("overdue") == "1"
        self.errors = {}
        for name, key in DATE_FIELDS.items():
            value = params.get(key, "")
            try:
                _date(value)
            except ValueError:
                value = ""
            setattr(self, name, value)
        yield from self._refilter()

    @rx.event
    def set_search(self, value: str):
        self.search = str(value)[:100]
        yield from self._refilter()

    @rx.event
    def set_status(self, value: str):
        self.status = value if value in STATUS_LABELS else ""
        yield from self._refilter()

    @rx.event
    def set_sort(self, value: str):
        self.sort = value if value in dict(SORT_OPTIONS) else DEFAULT_SORT
        yield from self._refilter()

    @rx.event
    def set_overdue_only(self, value: bool):
        self.overdue_only = value is True
        yield from self._refilter()

    @rx.event
    def set_date(self, name: str, value: str):
        """A date filter; a date that is no date is explained and not applied."""
        if name not in DATE_FIELDS:
            return
        value = str(value).strip()[:10]
        try:
            _date(value)
        except ValueError:
            self.errors = {**self.errors, name: BAD_DATE}
            return
        self.errors = {key: message for key, message in self.errors.items() if key != name}
        setattr(self, name, value)
        yield from self._refilter()

    # --- selection (for the bulk actions to come; those check permissions themselves) ---------
    @rx.event
    def toggle_row(self, invoice_id: str, checked: bool):
        on_page = {row["id"] for row in self.rows}
        if invoice_id not in on_page:
            return
        chosen = [i for i in self.selected if i != invoice_id]
        self.selected = chosen + [invoice_id] if checked is True else chosen

    @rx.event
    def toggle_page(self, checked: bool):
        on_page = [row["id"] for row in self.rows]
        others = [i for i in self.selected if i not in on_page]
        self.selected = others + on_page if checked is True else others

    @rx.event
    def clear_selection(self):
        self.selected = []
