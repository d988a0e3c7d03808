"""The invoice list: filters, totals of everything they match, one page of rows, selection."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.bulk_jobs import jobs_panel, selection_actions
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.filters import date_range, filter_check, filter_row, filter_select, search_toolbar
from billing_app.ui.components.reports import list_export_buttons
from billing_app.ui.components.status import status_badge
from billing_app.ui.components.tables import data_table, pager, text_cell
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.bulk_jobs import BulkJobsState
from billing_app.ui.states.invoices import SORT_OPTIONS, STATUS_OPTIONS, InvoicesState

S = InvoicesState


def _filters() -> rx.Component:
    return rx.vstack(
        search_toolbar("Search invoices", "invoice-search", "Number or client name", S.search, S.set_search,
                       rx.cond(S.can_write, link_button("New invoice", routes.INVOICE_NEW.route, icon="plus"))),
        filter_row(
            filter_select("Status", "invoice-status", STATUS_OPTIONS, S.status, S.set_status, "160px"),
            *date_range(S, "invoice", "Issued from", "Issued to"),
            filter_select("Sort by", "invoice-sort", SORT_OPTIONS, S.sort, S.set_sort, "170px"),
            filter_check("Overdue only", "invoice-overdue", S.overdue_only, S.set_overdue_only),
            rx.spacer(), list_export_buttons("invoices"),
        ),
        spacing="3",
        width="100%",
    )


def _sum(currency_sum: dict) -> rx.Component:
    return rx.hstack(
        rx.badge(currency_sum["currency"], variant="surface"),
        rx.text(currency_sum["count"], size="2", color_scheme="gray"),
        rx.text("Total ", rx.text.strong(currency_sum["total"]), size="2"),
        rx.text("Balance due ", rx.text.strong(currency_sum["balance"]), size="2"),
        spacing="3",
        align="center",
    )


def _totals() -> rx.Component:
    return rx.cond(
        S.sums.length() > 0,
        rx.card(
            rx.flex(rx.text("All matching:", size="2", weight="medium"), rx.foreach(S.sums, _sum),
                    gap="0.6em 2em", wrap="wrap", align="center"),
            width="100%",
            aria_label="Totals of the matching invoices",
        ),
    )


def _selection_bar() -> rx.Component:
    return rx.cond(
        S.selected_count > 0,
        rx.hstack(
            rx.text(S.selected_count.to_string() + " selected", weight="medium", size="2"),
            selection_actions(S.start_bulk),
            rx.spacer(),
            rx.button("Clear selection", size="1", variant="soft", color_scheme="gray",
                      on_click=S.clear_selection),
            align="center",
            padding="0.5em 1em",
            width="100%",
            border_radius="8px",
            background=rx.color("accent", 3),
            role="region",
            aria_label="Selected invoices",
        ),
    )


def _row(inv: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.checkbox(checked=S.selected.contains(inv["id"]),
                                  on_change=lambda checked: S.toggle_row(inv["id"], checked),
                                  aria_label="Select " + inv["number"])),
        rx.table.row_header_cell(rx.link(inv["number"], href=inv["href"])),
        text_cell(inv["client"], width="18em"),
        rx.table.cell(inv["issue_date"]),
        rx.table.cell(inv["due_date"]),
        rx.table.cell(status_badge(inv["status"], inv["status_label"])),
        rx.table.cell(inv["total"], text_align="right"),
        rx.table.cell(inv["balance"], text_align="right"),
    )


@private_page(routes.INVOICES, on_load=[InvoicesState.load, BulkJobsState.load])
def invoices_page() -> rx.Component:
    headers = [
        rx.checkbox(checked=S.page_selected, on_change=S.toggle_page, aria_label="Select all on this page"),
        "Number", "Client", "Issued", "Due", "Status",
        *[rx.box(amount, text_align="right") for amount in ("Total", "Balance due")],
    ]
    return rx.vstack(
        _filters(),
        _totals(),
        _selection_bar(),
        jobs_panel(latest=True),
        data_table(headers, S.rows, _row,
                   empty_text="No invoices match these filters.", loading=S.loading),
        pager(S.page_label, S.has_previous, S.has_next, S.previous_page, S.next_page),
        spacing="4",
        width="100%",
    )
