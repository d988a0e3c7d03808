import reflex as rx

from billing_app.services.products import ProductIn
from billing_app.ui import routes
from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.form_inputs import FormInputs, check_field, field_grid
from billing_app.ui.components.tables import data_table, pager, text_cell
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.products import ProductsState

State = ProductsState
HEADERS = ["SKU", "Name", "Unit", "Unit price", "Tax rate", "Status"]


def _product_fields() -> rx.Component:
    inputs = FormInputs("product-", State.values, State.field_errors, shape=ProductIn)
    return rx.vstack(
        field_grid(
            inputs.text("Name", "name", max_length=200, required=True),
            inputs.text("SKU", "sku", max_length=50, hint="Optional; unique when given."),
            inputs.text("Unit", "unit", max_length=20, hint="Such as hour, day or unit."),
            inputs.text("Unit price", "unit_price", input_mode="decimal", hint="Before tax, like 120.00.",
                        required=True),
            inputs.text("Currency", "currency", max_length=3, hint="ISO code such as EUR."),
            inputs.choice("Tax rate", "default_tax_rate_id", State.tax_options, "No tax rate"),
        ),
        inputs.textarea("Description", "description"),
        spacing="3",
        width="100%",
    )


def _row(product: dict) -> rx.Component:
    active = product["active"] != ""
    return rx.table.row(
        rx.table.cell(rx.code(product["sku"])),
        text_cell(product["name"], header=True),
        rx.table.cell(product["unit"]),
        rx.table.cell(product["price"], text_align="right"),
        rx.table.cell(product["tax_rate"]),
        rx.table.cell(rx.cond(active, rx.badge("Active", color_scheme="green"),
                              rx.badge("Inactive", color_scheme="gray"))),
        rx.cond(State.can_write, rx.table.cell(rx.hstack(
            rx.button("Edit", size="1", variant="soft", on_click=State.open_edit(product["id"])),
            rx.cond(active,
                    rx.button("Deactivate", size="1", variant="soft", color_scheme="red",
                              on_click=State.deactivate(product["id"])),
                    rx.button("Activate", size="1", variant="soft", color_scheme="green",
                              on_click=State.activate(product["id"]))),
        ))),
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.el.label("Search products", html_for="product-search", class_name="field-label"),
            rx.input(id="product-search", placeholder="Name, SKU or description", value=State.search,
                     on_change=State.set_search.debounce(300), width="280px"),
        ),
        rx.box(check_field("Show inactive", "product-show-inactive", rx.switch, checked=State.show_inactive,
                           on_change=State.set_show_inactive), padding_bottom="6px"),
        rx.spacer(),
        rx.cond(State.can_write, rx.button(rx.icon("plus", size=16), "New product", on_click=State.open_new)),
        width="100%",
        align="end",
        spacing="4",
    )


def _table(headers: list[str]) -> rx.Component:
    return data_table(headers, State.rows, _row, empty_text="No products match your search.",
                      loading=State.loading)


@private_page(routes.PRODUCTS, on_load=[ProductsState.load])
def products_page() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        rx.cond(State.can_write, _table([*HEADERS, "Actions"]), _table(HEADERS)),
        pager(State.page_label, State.has_previous, State.has_next, State.previous_page, State.next_page),
        form_dialog(
            rx.cond(State.editing, "Edit product", "New product"),
            _product_fields(),
            submit_label=rx.cond(State.editing, "Save changes", "Create product"),
            on_submit=State.save_product, error=State.form_error,
            open=State.form_open, on_open_change=State.set_form_open,
        ),
        spacing="4",
        width="100%",
    )
