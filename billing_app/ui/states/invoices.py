"""The invoice list: server-side filters, sort and paging, totals of the filtered set, selection.

The filters live in the URL's query string (q, status, from, to, overdue, sort), so a filtered
list can be bookmarked or shared.
"""

from typing import ClassVar

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.models.bulk import BulkJobKind
from billing_app.queries.invoices import invoices_page
from billing_app.services.bulk import KIND_ACTION
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.bulk_jobs import new_request_key, start_job
from billing_app.ui.states.date_filters import day
from billing_app.ui.states.formatting import STATUS_LABELS, invoice_view
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href
from billing_app.ui.states.url_filters import UrlFilters, choice

STATUS_OPTIONS = [("", "All"), *STATUS_LABELS.items()]
SORT_OPTIONS = [("-issue_date", "Newest first"), ("issue_date", "Oldest first"), ("number", "Number"),
                ("due_date", "Due date"), ("-total", "Amount high–low")]
DEFAULT_SORT = SORT_OPTIONS[0][0]
INVOICE_BULK_KINDS = (BulkJobKind.INVOICE_SEND, BulkJobKind.REMINDER_SEND, BulkJobKind.PDF_ZIP)


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


class InvoicesState(UrlFilters, AuthState):
    read_action: ClassVar[Action] = Action.INVOICES_READ
    write_action: ClassVar[Action] = Action.INVOICES_WRITE

    sums: list[dict[str, str]] = []
    status: str = ""
    overdue_only: bool = False
    sort: str = DEFAULT_SORT

    selected: list[str] = []  # invoice ids, kept while paging, cleared when the filters change
    _selection_key: str = ""  # names the bulk jobs of this selection: a double click makes one
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
                date_from=day(self.date_from), date_to=day(self.date_to),
                overdue=True if self.overdue_only else None, sort=self.sort,
                offset=self.offset, limit=self.page_size, totals=with_totals,
            )
            return [_row_view(row) for row in page.rows], page.total_count, [_sum_view(s) for s in page.sums]

        result, error = self._run(self.read_action, read, read_only=True)
        self.loading = False
        if error:
            return rx.toast.error(error.message)
        rows, total, sums = result
        self.rows = rows
        if with_totals:
            self.total, self.sums, self._totals_fresh = total, sums, True
        return None

    def _own_params(self) -> dict[str, str]:
        return {"status": self.status, "overdue": "1" if self.overdue_only else "",
                "sort": "" if self.sort == DEFAULT_SORT else self.sort}

    def _take_params(self, params) -> None:
        self.status = choice(params.get("status"), STATUS_LABELS)
        self.sort = choice(params.get("sort"), dict(SORT_OPTIONS), DEFAULT_SORT)
        self.overdue_only = params.get("overdue") == "1"

    def _select(self, invoice_ids: list[str]) -> None:
        self.selected = invoice_ids
        self._selection_key = new_request_key()

    def _refilter(self):
        self._select([])
        self._totals_fresh = False
        yield from super()._refilter()

    @rx.event
    @in_thread
    def set_status(self, value: str):
        self.status = choice(value, STATUS_LABELS)
        yield from self._refilter()

    @rx.event
    @in_thread
    def set_sort(self, value: str):
        self.sort = choice(value, dict(SORT_OPTIONS), DEFAULT_SORT)
        yield from self._refilter()

    @rx.event
    @in_thread
    def set_overdue_only(self, value: bool):
        self.overdue_only = value is True
        yield from self._refilter()

    # --- selection and its bulk actions (bulk_job_create checks the role per kind) -------------
    @rx.event
    def toggle_row(self, invoice_id: str, checked: bool):
        on_page = {row["id"] for row in self.rows}
        if invoice_id not in on_page:
            return
        chosen = [i for i in self.selected if i != invoice_id]
        self._select(chosen + [invoice_id] if checked is True else chosen)

    @rx.event
    def toggle_page(self, checked: bool):
        on_page = [row["id"] for row in self.rows]
        others = [i for i in self.selected if i not in on_page]
        self._select(others + on_page if checked is True else others)

    @rx.event
    def clear_selection(self):
        self._select([])

    @rx.event
    def start_bulk(self, kind: str):
        """Send, remind or zip the selected invoices as one background job. The kind's own
        permission is asked first (a viewer may zip); an unknown kind asks for the least one."""
        bulk_kind = choice(kind, INVOICE_BULK_KINDS)
        if refusal := self._refusal(KIND_ACTION.get(bulk_kind, Action.INVOICES_READ)):
            return rx.toast.error(refusal.message)
        if not bulk_kind:
            return rx.toast.error("Unknown bulk action.")
        if not self._selection_key:
            return rx.toast.error("Select invoices first.")
        return start_job(self, BulkJobKind(kind), f"{kind}:{self._selection_key}",
                         invoice_ids=[int(i) for i in self.selected if i.isdigit()])
