import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.bulk_jobs import jobs_panel, statement_run_form
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.form_inputs import check_field
from billing_app.ui.components.forms import field, native_select
from billing_app.ui.components.tables import clipped, data_table, pager, text_cell
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.bulk_jobs import BulkJobsState
from billing_app.ui.states.clients import SORT_OPTIONS, ClientsState

KIND_OPTIONS = [("all", "All kinds"), ("company", "Companies"), ("individual", "Individuals")]
SHOW_OPTIONS = [("active", "Active"), ("archived", "Archived"), ("all", "Active and archived")]


def _labelled(label: str, control_id: str, control: rx.Component, width: str) -> rx.Component:
    return rx.box(field(label, control, html_for=control_id), width=width)


def _select(label: str, name: str, options, value, on_change, width: str) -> rx.Component:
    control_id = f"client-{name}"
    return _labelled(label, control_id, native_select(control_id, name, options, value=value, on_change=on_change),
                     width)


def _filters() -> rx.Component:
    search = rx.input(id="client-search", placeholder="Name, email or tax ID", value=ClientsState.search,
                      on_change=ClientsState.set_search.debounce(300))
    return rx.vstack(
        rx.hstack(
            _labelled("Search clients", "client-search", search, "320px"),
            rx.spacer(),
            rx.cond(ClientsState.can_write, link_button("New client", routes.CLIENT_NEW.route, icon="plus")),
            width="100%",
            align="end",
        ),
        rx.hstack(
            _select("Kind", "kind", KIND_OPTIONS, ClientsState.kind, ClientsState.set_kind, "150px"),
            _select("Show", "show", SHOW_OPTIONS, ClientsState.show, ClientsState.set_show, "180px"),
            _select("Sort by", "sort", SORT_OPTIONS, ClientsState.sort, ClientsState.set_sort, "200px"),
            rx.box(check_field("Has overdue invoices", "client-overdue", checked=ClientsState.has_overdue,
                               on_change=ClientsState.set_has_overdue), padding_bottom="6px"),
            align="end",
            wrap="wrap",
            spacing="4",
        ),
        width="100%",
        spacing="3",
    )


def _row(client: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                clipped(client["name"], href=client["href"], weight="medium"),
                rx.cond(client["archived"] != "", rx.badge("Archived", color_scheme="gray")),
                align="center",
            )
        ),
        rx.table.cell(client["kind"]),
        text_cell(client["email"], width="18em"),
        text_cell(client["tax_id"], width="10em"),
        rx.table.cell(client["outstanding"], text_align="right"),
        rx.table.cell(
            rx.cond(client["overdue"] != "", rx.text(client["overdue"], color_scheme="red", weight="medium"),
                    rx.text("—", color_scheme="gray")),
            text_align="right",
        ),
    )


@private_page(routes.CLIENTS, on_load=[ClientsState.load, BulkJobsState.load])
def clients_page() -> rx.Component:
    return rx.vstack(
        _filters(),
        data_table(
            ["Name", "Kind", "Email", "Tax ID", "Outstanding", "Overdue"],
            ClientsState.rows,
            _row,
            empty_text="No clients match these filters.",
            loading=ClientsState.loading,
        ),
        pager(ClientsState.page_label, ClientsState.has_previous, ClientsState.has_next,
              ClientsState.previous_page, ClientsState.next_page),
        statement_run_form(),
        jobs_panel(latest=True),
        spacing="4",
        width="100%",
    )
