"""Record a payment: the client and the money received, then how much settles which invoice."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.client_picker import client_picker
from billing_app.ui.components.forms import field, form_error, native_select
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.payment_new import PaymentNewState as S
from billing_app.ui.states.payments import METHOD_LABELS


def _input(label: str, name: str, **props) -> rx.Component:
    html_id = f"payment-{name.replace('_', '-')}"
    return field(label, rx.input(id=html_id, value=getattr(S, name), on_change=lambda v: S.set_field(name, v),
                                 width="100%", **props),
                 html_for=html_id, error=S.field_errors.get(name, ""))


def _payment_fields() -> rx.Component:
    method = native_select("payment-method", "method", list(METHOD_LABELS.items()), value=S.method,
                           on_change=lambda v: S.set_field("method", v))
    client = client_picker("payment-client", S.client_text, S.client_options, S.set_client_text,
                           S.field_errors.get("client_id", ""))
    return rx.card(
        rx.vstack(
            rx.grid(
                rx.box(client, grid_column=rx.breakpoints(initial="auto", md="span 2")),
                _input("Payment date", "payment_date", type="date"),
                _input("Amount", "amount", input_mode="decimal", placeholder="0.00"),
                _input("Currency", "currency", max_length=3),
                field("Method", method, html_for="payment-method", error=S.field_errors.get("method", "")),
                rx.box(_input("Reference", "reference", max_length=200,
                              placeholder="Bank reference, cheque number…"),
                       grid_column=rx.breakpoints(initial="auto", md="span 2")),
                columns=rx.breakpoints(initial="1", md="4"),
                spacing="4",
                width="100%",
            ),
            field("Notes", rx.text_area(id="payment-notes", value=S.notes, rows="2", width="100%",
                                        on_change=lambda v: S.set_field("notes", v)),
                  html_for="payment-notes", error=S.field_errors.get("notes", "")),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )


def _invoice_row(row: dict, index) -> rx.Component:
    return rx.fragment(
        rx.table.row(
            rx.table.row_header_cell(rx.link(row["number"], href=row["href"])),
            rx.table.cell(row["due_date"]),
            rx.table.cell(row["balance"], text_align="right"),
            rx.table.cell(
                rx.input(value=row["apply"], on_change=lambda v: S.set_apply(index, v), input_mode="decimal",
                         aria_label="Amount to apply to " + row["number"], width="140px", placeholder="0.00"),
                justify_items="end",
            ),
            align="center",
        ),
        rx.cond(
            row["error"] != "",
            rx.table.row(rx.table.cell(rx.text(row["error"], color_scheme="red", size="2", role="alert"),
                                       col_span=4)),
        ),
    )


def _summary() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Allocated ", rx.text.strong(S.summary["allocated"])),
            rx.text("Unallocated ", rx.text.strong(S.summary["unallocated"]),
                    rx.text.span(" kept as client credit", color=rx.color("gray", 11))),
            spacing="6",
            wrap="wrap",
        ),
        rx.cond(S.summary["over"] != "", rx.text(S.summary["over"], color_scheme="red", size="2", role="alert")),
        rx.cond(S.field_errors.get("allocations", "") != "",
                rx.text(S.field_errors.get("allocations", ""), color_scheme="red", size="2", role="alert")),
        spacing="2",
        width="100%",
        aria_label="Allocation summary",
    )


def _invoices_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell("Number"),
            rx.table.column_header_cell("Due date"),
            rx.table.column_header_cell("Balance", text_align="right"),
            rx.table.column_header_cell("Amount to apply", text_align="right"),
        )),
        rx.table.body(rx.foreach(S.open_invoices, _invoice_row)),
        variant="surface",
        width="100%",
    )


def _allocations() -> rx.Component:
    listing = rx.cond(
        S.open_invoices.length() > 0,
        _invoices_table(),
        rx.text("This client has no open invoices in ", S.currency,
                "; the whole payment stays as client credit.", color_scheme="gray", size="2"),
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Open invoices", size="4", as_="h2"),
                rx.spacer(),
                rx.cond(S.open_invoices.length() > 0, rx.hstack(
                    rx.button(rx.icon("list-checks", size=16), "Allocate oldest first", variant="soft",
                              on_click=S.allocate_oldest_first),
                    rx.button("Clear", variant="soft", color_scheme="gray", on_click=S.clear_allocations),
                )),
                width="100%",
                align="center",
            ),
            rx.cond(S.client_ref != "", listing,
                    rx.text("Choose a client to see its open invoices.", color_scheme="gray", size="2")),
            _summary(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.link(rx.button("Cancel", variant="soft", color_scheme="gray"), href=routes.PAYMENTS.route),
        rx.button("Record payment", on_click=S.record, loading=S.saving),
        justify="end",
        spacing="3",
        width="100%",
    )


@private_page(routes.PAYMENT_NEW, on_load=[S.load])
def payment_new_page() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(_payment_fields(), _allocations(), form_error(S.form_error), _actions(),
                  spacing="4", width="100%"),
        rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
    )
