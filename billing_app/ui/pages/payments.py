"""The payment list: search, filters, one page of payments."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.filters import date_range, filter_row, filter_select, search_toolbar
from billing_app.ui.components.payment_status import payment_status_badge
from billing_app.ui.components.reports import list_export_buttons
from billing_app.ui.components.tables import data_table, pager, text_cell
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.payments import METHOD_OPTIONS, STATUS_OPTIONS, PaymentsState

S = PaymentsState


def _client_chip() -> rx.Component:
    """"Client: <name>" while the list shows one client's payments, with a button that shows all."""
    return rx.cond(
        S.client_ref != "",
        rx.box(
            rx.badge(
                rx.text("Client: ", rx.text.strong(S.client_name)),
                rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost", radius="full",
                               aria_label="Remove the client filter", on_click=S.clear_client),
                size="2", variant="soft", radius="full", gap="0.5em",
            ),
            padding_bottom="6px",
        ),
    )


def _filters() -> rx.Component:
    return rx.vstack(
        search_toolbar("Search payments", "payment-search", "Reference or client name", S.search, S.set_search,
                       rx.cond(S.can_write, link_button("Record payment", routes.PAYMENT_NEW.route, icon="plus"))),
        filter_row(
            _client_chip(),
            filter_select("Status", "payment-status", STATUS_OPTIONS, S.status, S.set_status, "160px"),
            filter_select("Method", "payment-method", METHOD_OPTIONS, S.method, S.set_method, "180px"),
            *date_range(S, "payment", "Paid from", "Paid to"),
            rx.spacer(), list_export_buttons("payments"),
        ),
        spacing="3",
        width="100%",
    )


def _row(payment: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(payment["date"], white_space="nowrap"),
        text_cell(payment["client"], width="18em"),
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
