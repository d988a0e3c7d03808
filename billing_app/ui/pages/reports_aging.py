import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.client_picker import client_picker
from billing_app.ui.components.filters import filter_check, filter_field, filter_row
from billing_app.ui.components.forms import ISO_DATE, native_select
from billing_app.ui.components.reports import export_buttons, report_error, report_tabs
from billing_app.ui.components.tables import data_table
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.report_aging import AgingClientState, AgingState

S = AgingState
BASIS_OPTIONS = [("due_date", "Due date"), ("issue_date", "Issue date")]


def _filters() -> rx.Component:
    return rx.vstack(
        filter_row(
            filter_field("As of", "aging-as-of",
                         rx.input(id="aging-as-of", **ISO_DATE, value=S.as_of,
                                  on_change=lambda v: S.set_field("as_of", v)), "160px"),
            filter_field("Age by", "aging-basis",
                         native_select("aging-basis", "basis", BASIS_OPTIONS, value=S.basis,
                                       on_change=lambda v: S.set_field("basis", v)), "140px"),
            filter_field("Bucket boundaries (days)", "aging-buckets",
                         rx.input(id="aging-buckets", value=S.buckets,
                                  on_change=lambda v: S.set_field("buckets", v)), "200px"),
            rx.box(client_picker("aging-client", S.client_text, S.client_options,
                                 S.search_client, "", required=False), width="260px"),
            filter_field("Currency", "aging-currency",
                         rx.input(id="aging-currency", value=S.currency, placeholder="All",
                                  on_change=lambda v: S.set_field("currency", v)), "100px"),
            filter_field("Minimum balance", "aging-min",
                         rx.input(id="aging-min", value=S.min_balance, input_mode="decimal",
                                  on_change=lambda v: S.set_field("min_balance", v)), "140px"),
            filter_check("Only overdue", "aging-overdue", S.only_overdue,
                         lambda v: S.set_field("only_overdue", v)),
            rx.button("Show report", on_click=S.apply, loading=S.loading),
        ),
        report_error(S.error),
        width="100%",
    )


def _line(line, header) -> rx.Component:
    def cell(c) -> rx.Component:
        return rx.table.cell(rx.cond(c["href"] != "", rx.link(c["amount"], href=c["href"]), c["amount"]),
                             text_align="right")

    return rx.table.row(
        header(line),
        rx.table.cell(line.currency),
        rx.foreach(line.cells, cell),
        rx.table.cell(rx.text(line.total, weight="bold"), text_align="right"),
        rx.table.cell(line.count, text_align="right"),
    )


def _table() -> rx.Component:
    table = rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell("Client"),
            rx.table.column_header_cell("Currency"),
            rx.foreach(S.labels, lambda label: rx.table.column_header_cell(label, text_align="right")),
            rx.table.column_header_cell("Total", text_align="right"),
            rx.table.column_header_cell("Invoices", text_align="right"),
        )),
        rx.table.body(
            rx.foreach(S.rows, lambda line: _line(
                line, lambda l: rx.table.row_header_cell(rx.link(l.client, href=l.client_href)))),
            rx.foreach(S.totals, lambda line: _line(
                line, lambda l: rx.table.row_header_cell(rx.text(l.client, weight="bold")))),
        ),
        variant="surface",
        width="100%",
        id="aging-table",
    )
    empty = rx.callout("Nothing was open on that day with these filters.", icon="info", width="100%")
    return rx.cond(S.loading, rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
                   rx.cond(S.rows.length() > 0, table, empty))


@private_page(routes.AGING, on_load=[AgingState.load])
def aging_page() -> rx.Component:
    return rx.vstack(
        report_tabs(routes.AGING),
        _filters(),
        rx.flex(rx.text("Open amounts on the day, after payments, credit notes and late fees "
                        "dated up to it. Each amount opens the invoices behind it.",
                        size="2", color_scheme="gray"),
                rx.spacer(), export_buttons("aging", S.query, pdf=True), width="100%", align="center",
                gap="1em", wrap="wrap"),
        _table(),
        spacing="4",
        width="100%",
    )


def _invoice_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(row["number"], href=row["href"])),
        *[rx.table.cell(row[key]) for key in ("issue_date", "due_date", "days", "bucket")],
        *[rx.table.cell(row[key], text_align="right") for key in ("total", "paid", "open")],
    )


@private_page(routes.AGING_CLIENT, on_load=[AgingClientState.load])
def aging_client_page() -> rx.Component:
    C = AgingClientState
    return rx.vstack(
        rx.link("← Back to the aging report", href=C.back_href),
        rx.heading(C.title, size="4", as_="h2"),
        report_error(C.error),
        data_table(["Invoice", "Issued", "Due", "Days overdue", "Bucket", "Total with fees",
                    "Paid and credited", "Open on the day"], C.rows, _invoice_row,
                   empty_text="No invoice of this client was open in this bucket.", loading=C.loading),
        rx.text("Open on the day, in all: ", rx.text.strong(C.total)),
        spacing="4",
        width="100%",
    )
