"""New invoice and edit draft: lines from the catalogue or free text, live totals."""

import reflex as rx

from billing_app.models.invoices import InvoiceDraftIn, InvoiceLineIn
from billing_app.ui import routes
from billing_app.ui.components.client_picker import client_picker
from billing_app.ui.components.form_inputs import check_field
from billing_app.ui.components.forms import ISO_DATE, field, form_error, max_length
from billing_app.ui.components.totals import document_totals
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.invoice_editor import InvoiceEditorState as S

DISCOUNT_TYPES = [("", "No discount"), ("percent", "%"), ("amount", "Amount")]
NUMBER_MAX = 30


def _header_input(label: str, name: str, html_id: str, **props) -> rx.Component:
    return field(
        label,
        rx.input(id=html_id, value=getattr(S, name), on_change=lambda v: S.set_header(name, v),
                 width="100%", **props),
        html_for=html_id,
        error=S.field_errors.get(name, ""),
    )


def _discount_select(value, on_change, label: str, html_id: str | None = None) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(text, value=key) for key, text in DISCOUNT_TYPES],
        value=value, on_change=on_change, aria_label=label, id=html_id, class_name="native-select fit-select",
    )


def _client_and_dates() -> rx.Component:
    return rx.card(
        rx.grid(
            client_picker("invoice-client", S.client_text, S.client_options, S.set_client_text,
                          S.field_errors.get("client_id", "")),
            _header_input("Issue date", "issue_date", "invoice-issue-date", **ISO_DATE),
            _header_input("Due date", "due_date", "invoice-due-date", **ISO_DATE),
            _header_input("Currency", "currency", "invoice-currency", max_length=3),
            columns=rx.breakpoints(initial="1", md="4"),
            spacing="4",
            width="100%",
        ),
        rx.text("Leave the due date empty to use the client's payment terms.", size="1",
                color_scheme="gray", margin_top="0.5em"),
        width="100%",
    )


def _under(control: rx.Component, error) -> rx.Component:
    """A line's input with the problem of what was typed right under it."""
    return rx.vstack(control, rx.cond(error != "", rx.text(error, color_scheme="red", size="1", role="alert",
                                                           min_width="7em")),
                     spacing="1", align="stretch")


def _tax_choice(line, index, number) -> rx.Component:
    """The line's tax rates: the chosen ones as text on a button that opens a list to tick."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.el.button(rx.el.span(line.tax_label, class_name="tax-summary"), rx.icon("chevron-down", size=14),
                         type="button", aria_label="Tax, line " + number + ": " + line.tax_label,
                         class_name="native-select tax-button"),
        ),
        rx.popover.content(
            rx.vstack(
                rx.foreach(
                    S.tax_options,
                    lambda tax: check_field(
                        tax["label"], "tax-" + line.key + "-" + tax["id"],
                        checked=line.tax_rate_ids.contains(tax["id"]),
                        on_change=lambda checked: S.toggle_line_tax(index, tax["id"], checked),
                        aria_label=tax["label"] + ", line " + number,
                    ),
                ),
                spacing="2",
            ),
            aria_label="Tax rates, line " + number,
        ),
    )


def _line_row(line, index) -> rx.Component:
    number = (index + 1).to_string()
    return rx.fragment(
        rx.table.row(
            rx.table.cell(
                rx.el.select(
                    rx.el.option("Free text", value=""),
                    rx.foreach(S.product_options, lambda p: rx.el.option(p["label"], value=p["id"])),
                    value=line.product_id, on_change=lambda v: S.choose_product(index, v),
                    aria_label="Product, line " + number, class_name="native-select",
                ),
                min_width="140px",
            ),
            rx.table.cell(_under(rx.input(value=line.description, aria_label="Description, line " + number,
                                          on_change=lambda v: S.set_line_field(index, "description", v),
                                          max_length=max_length(InvoiceLineIn, "description"), width="100%"),
                                 line.description_error), min_width="160px"),
            rx.table.cell(_under(rx.input(value=line.quantity, aria_label="Quantity, line " + number,
                                          input_mode="decimal", max_length=NUMBER_MAX,
                                          on_change=lambda v: S.set_line_field(index, "quantity", v),
                                          width="80px"),
                                 line.quantity_error), max_width="160px"),
            rx.table.cell(_under(rx.input(value=line.unit_price, aria_label="Unit price, line " + number,
                                          input_mode="decimal", max_length=NUMBER_MAX,
                                          on_change=lambda v: S.set_line_field(index, "unit_price", v),
                                          width="110px"),
                                 line.unit_price_error), max_width="180px"),
            rx.table.cell(_under(
                rx.hstack(
                    _discount_select(line.discount_type, lambda v: S.set_line_field(index, "discount_type", v),
                                     "Discount type, line " + number),
                    rx.input(value=line.discount_value, aria_label="Discount, line " + number,
                             input_mode="decimal", max_length=NUMBER_MAX,
                             on_change=lambda v: S.set_line_field(index, "discount_value", v),
                             width="80px"),
                    spacing="1",
                ),
                line.discount_error), max_width="220px"),
            rx.table.cell(_tax_choice(line, index, number)),
            rx.table.cell(rx.text(line.net, weight="medium", white_space="nowrap", line_height="32px"),
                          text_align="right",
                          aria_label="Net, line " + number),
            rx.table.cell(rx.icon_button(rx.icon("trash-2", size=16), variant="ghost", color_scheme="red",
                                         aria_label="Remove line " + number, on_click=S.remove_line(index))),
            vertical_align="top",
        ),
        rx.cond(
            line.error != "",
            rx.table.row(rx.table.cell(rx.text(line.error, color_scheme="red", size="2", role="alert"),
                                       col_span=8)),
        ),
    )


def _section(title: str, *children) -> rx.Component:
    return rx.card(rx.vstack(rx.heading(title, size="4", as_="h2"), *children, spacing="3", width="100%"),
                   width="100%")


def _lines() -> rx.Component:
    return _section(
        "Lines",
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[
                    rx.table.column_header_cell(h)
                    for h in ["Product", "Description", "Quantity", "Unit price", "Discount", "Tax", "Net", ""]
                ])),
                rx.table.body(rx.foreach(S.lines, _line_row)),
                size="1",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.button(rx.icon("plus", size=16), "Add line", variant="soft", on_click=S.add_line),
    )


def _totals() -> rx.Component:
    return _section(
        "Totals",
        rx.cond(
            S.has_totals,
            document_totals(S.totals, S.tax_lines),
            rx.text("Choose a client and enter prices to see the totals.", color_scheme="gray", size="2"),
        ),
    )


def _discount_and_notes() -> rx.Component:
    return rx.card(
        rx.vstack(
            field(
                "Invoice discount",
                rx.hstack(
                    _discount_select(S.discount_type, lambda v: S.set_header("discount_type", v),
                                     "Invoice discount type", "invoice-discount-type"),
                    rx.input(id="invoice-discount", value=S.discount_value, input_mode="decimal",
                             on_change=lambda v: S.set_header("discount_value", v), width="120px",
                             max_length=NUMBER_MAX,
                             aria_label="Invoice discount"),
                ),
                html_for="invoice-discount-type",
                error=S.field_errors.get("discount_value", ""),
            ),
            field("Notes", rx.text_area(id="invoice-notes", value=S.notes, width="100%",
                                        max_length=max_length(InvoiceDraftIn, "notes"),
                                        on_change=lambda v: S.set_header("notes", v)),
                  html_for="invoice-notes"),
            field("Terms", rx.text_area(id="invoice-terms", value=S.terms, width="100%",
                                        max_length=max_length(InvoiceDraftIn, "terms"),
                                        on_change=lambda v: S.set_header("terms", v)),
                  html_for="invoice-terms"),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _actions() -> rx.Component:
    return rx.vstack(
        form_error(S.form_error),
        rx.cond(
            S.credit_warning != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("shield-alert")),
                rx.callout.text(S.credit_warning),
                rx.cond(S.can_override,
                        rx.button("Issue anyway (override credit limit)", color_scheme="orange",
                                  on_click=S.issue_over_credit_limit, margin_top="0.5em")),
                color_scheme="orange", role="alert", width="100%",
            ),
        ),
        rx.hstack(
            rx.link(rx.button("Cancel", variant="soft", color_scheme="gray"), href=routes.INVOICES.route),
            rx.spacer(),
            rx.button("Save draft", variant="soft", on_click=S.save_draft, loading=S.saving),
            rx.button("Save and issue", on_click=S.save_and_issue, loading=S.saving),
            width="100%",
        ),
        width="100%",
        spacing="3",
    )


def _editor() -> rx.Component:
    return rx.cond(
        S.not_editable != "",
        rx.callout(S.not_editable, icon="info", width="100%"),
        rx.cond(
            S.loaded,
            rx.vstack(
                _client_and_dates(),
                _lines(),
                rx.grid(_discount_and_notes(), _totals(), columns=rx.breakpoints(initial="1", md="2"),
                        spacing="4", width="100%"),
                _actions(),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
        ),
    )


@private_page(routes.INVOICE_NEW, on_load=[S.load])
def new_invoice_page() -> rx.Component:
    return _editor()


@private_page(routes.INVOICE_EDIT, on_load=[S.load])
def edit_invoice_page() -> rx.Component:
    return _editor()
