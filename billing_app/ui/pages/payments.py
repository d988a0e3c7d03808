"""The payment list: search, filters, one page of payments."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.filters import date_filter, filter_row, filter_select, list_toolbar
from billing_app.ui.components.payment_status import payment_status_badge
from billing_app.ui.components.tables import data_table, pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.payments import METHOD_OPTIONS, STATUS_OPTIONS, PaymentsState

S = PaymentsState


def _date_filter(label: str, name: str) -> rx.Component:
    return date_filter(label, f"payment-{name.replace('_', '-')}", getattr(S, name),
                       lambda value: S.set_date(name, value), S.date_errors.get(name, ""))


def _filters() -> rx.Component:
    search = rx.input(id="payment-search", placeholder="Reference or client name", value=S.search,
                      on_change=S.set_search.debounce(300), type="search")
    return rx.vstack(
        list_toolbar("Search payments", "payment-search", search,
                     rx.cond(S.can_write, link_button("Record payment", routes.PAYMENT_NEW.route, icon="plus"))),
        filter_row(
            filter_select("Status", "payment-status", STATUS_OPTIONS, S.status, S.set_status, "160px"),
            filter_select("Method", "payment-method", METHOD_OPTIONS, S.method, S.set_method, "180px"),
            _date_filter("Paid from", "date_from"),
            _date_filter("Paid to", "date_to"),
        ),
        spacing="3",
        width="100%",
    )


def _row(payment: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(payment["date"], white_space="nowrap"),
        rx.table.cell(payment["client"]),
        rx.table.row_header_cell(rx.link(payment["label"], href=payment["href"])),
        rx.table.cell(payment["method"]),
        rx.table.cell(payment["amount"], text_align="right"),
        rx.table.cell(payment["unallocated"], text_align="right"),
        rx.table.cell(payment_status_badge(payment["status"], payment["status_label"])),
    )


@private_page(routes.PAYMENTS, on_load=[S.load])
def payments_page() -> rx.Component:
    headers = ["Date", "Client", "Reference", "Method",
               *[rx.box(amount, text_align="right") for amount in ("Amount", "Unallocated")], "Status"]
    return rx.vstack(
        _filters(),
        data_table(headers, S.rows, _row, empty_text="No payments match these filters.", loading=S.loading),
        pager(S.page_label, S.has_previous, S.has_next, S.previous_page, S.next_page),
        spacing="4",
        width="100%",
    )
