"""One invoice: header, lines, totals, history, and the actions its status allows."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.forms import field, form_error
from billing_app.ui.components.status import status_badge
from billing_app.ui.components.tables import data_table
from billing_app.ui.components.totals import document_totals, totals_row
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.invoice_detail import InvoiceDetailState as S


def _fact(label: str, value) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"), rx.text(value, weight="medium"), spacing="0")


def _header() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.hstack(rx.heading(S.header["title"], size="6", as_="h2"),
                          status_badge(S.header["status"], S.header["status_label"]), align="center"),
                rx.hstack(
                    _fact("Client", rx.cond(S.can_read_clients,
                                            rx.link(S.header["client"], href="/clients/" + S.header["client_id"]),
                                            S.header["client"])),
                    _fact("Issued", S.header["issue_date"]),
                    _fact("Due", S.header["due_date"]),
                    _fact("Currency", S.header["currency"]),
                    spacing="6",
                ),
                spacing="3",
            ),
            rx.spacer(),
            rx.vstack(rx.text("Balance due", size="1", color_scheme="gray"),
                      rx.heading(S.header["balance"], size="6"), align="end", spacing="0",
                      aria_label="Balance due"),
            width="100%",
            align="start",
        ),
        width="100%",
    )


def _cancel_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button("Cancel invoice", variant="soft", color_scheme="red")),
        rx.dialog.content(
            rx.dialog.title("Cancel invoice"),
            rx.dialog.description("An issued invoice is cancelled with a credit note for its full amount."),
            rx.form(
                rx.vstack(
                    form_error(S.cancel_error),
                    field("Reason", rx.text_area(id="cancel-reason", name="reason", required=True, width="100%"),
                          html_for="cancel-reason"),
                    rx.hstack(
                        rx.dialog.close(rx.button("Keep invoice", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Cancel invoice", color_scheme="red", type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.cancel,
            ),
            max_width="460px",
        ),
        open=S.cancel_open,
        on_open_change=S.set_cancel_open,
    )


def _actions() -> rx.Component:
    return rx.cond(
        S.can_write,
        rx.vstack(
            rx.hstack(
                rx.cond(S.is_draft, rx.link(rx.button("Edit draft", variant="soft"),
                                            href="/invoices/" + S.shown_id.to_string() + "/edit")),
                rx.cond(S.is_draft, rx.button("Issue invoice", on_click=S.issue)),
                rx.button("Duplicate", variant="soft", on_click=S.duplicate),
                rx.cond(S.is_cancellable, _cancel_dialog()),
                spacing="3",
            ),
            rx.cond(
                S.credit_warning != "",
                rx.callout.root(
                    rx.callout.icon(rx.icon("shield-alert")),
                    rx.callout.text(S.credit_warning),
                    rx.cond(S.can_override, rx.button("Issue anyway (override credit limit)", color_scheme="orange",
                                                      on_click=S.issue_over_credit_limit, margin_top="0.5em")),
                    color_scheme="orange", role="alert", width="100%",
                ),
            ),
            width="100%",
        ),
    )


def _line(line: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line["description"]),
        rx.table.cell(line["quantity"], text_align="right"),
        rx.table.cell(line["unit_price"], text_align="right"),
        rx.table.cell(line["discount"]),
        rx.table.cell(line["taxes"]),
        rx.table.cell(line["net"], text_align="right"),
    )


def _totals() -> rx.Component:
    return rx.card(
        document_totals(
            S.header, S.taxes,
            totals_row("Paid", S.header["paid"]),
            totals_row("Credited", S.header["credited"]),
            totals_row("Balance due", S.header["balance"], strong=True),
            rx.text(S.header["prices"], size="1", color_scheme="gray"),
        ),
        width="100%",
        max_width="420px",
    )


def _history_row(entry: dict) -> rx.Component:
    return rx.table.row(rx.table.cell(entry["at"]), rx.table.cell(entry["change"]), rx.table.cell(entry["by"]),
                        rx.table.cell(entry["note"]))


def _detail() -> rx.Component:
    return rx.cond(
        S.loading,
        rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
        rx.cond(
            S.found,
            rx.vstack(
                _header(),
                _actions(),
                rx.heading("Lines", size="4", as_="h2"),
                data_table(["Description", "Quantity", "Unit price", "Discount", "Taxes", "Net"], S.lines, _line,
                           empty_text="This invoice has no lines yet."),
                rx.flex(
                    rx.vstack(
                        rx.cond(S.header["notes"] != "", rx.box(rx.heading("Notes", size="3", as_="h3"),
                                                                rx.text(S.header["notes"], white_space="pre-wrap"))),
                        rx.cond(S.header["terms"] != "", rx.box(rx.heading("Terms", size="3", as_="h3"),
                                                                rx.text(S.header["terms"], white_space="pre-wrap"))),
                        flex="1",
                    ),
                    _totals(),
                    spacing="4",
                    width="100%",
                ),
                rx.heading("History", size="4", as_="h2"),
                data_table(["When", "Change", "By", "Note"], S.history, _history_row,
                           empty_text="No status changes yet."),
                spacing="4",
                width="100%",
            ),
            rx.callout("That invoice does not exist, or you may not see it.", icon="info", width="100%"),
        ),
    )


@private_page(routes.INVOICE, on_load=[S.load])
def invoice_page() -> rx.Component:
    return _detail()


@private_page(routes.MY_INVOICE, on_load=[S.load])
def my_invoice_page() -> rx.Component:
    return _detail()
