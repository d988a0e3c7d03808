"""Record a payment: the client and the money received, then how much settles which invoice."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.client_picker import TYPING_PAUSE_MS, client_picker
from billing_app.ui.components.allocations import allocation_buttons, allocation_summary, allocation_table
from billing_app.ui.components.forms import ISO_DATE, field, form_error, native_select, required_note
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.payment_new import PaymentNewState as S
from billing_app.ui.states.payments import METHOD_LABELS


def _input(label: str, name: str, required: bool = False, **props) -> rx.Component:
    html_id = f"payment-{name.replace('_', '-')}"
    return field(label, rx.input(id=html_id, value=getattr(S, name), on_change=lambda v: S.set_field(name, v),
                                 width="100%", **props),
                 html_for=html_id, error=S.field_errors.get(name, ""), required=required)


def _amount() -> rx.Component:
    """The amount, told to the server once the typist pauses (the allocation follows it); a
    mismatch with the amounts on the invoices is said right under it."""
    # a plain <input>: rx.input with a value and on_change is already debounced, and a second
    # debounce around it merged what was typed with the server's answer ("44.5644.56")
    box = rx.el.input(id="payment-amount", name="payment-amount", value=S.amount,
                      on_change=lambda v: S.set_field("amount", v), input_mode="decimal",
                      placeholder="0.00", class_name="native-select", auto_complete="off")
    error = rx.cond(S.field_errors.get("amount", "") != "", S.field_errors.get("amount", ""),
                    S.allocation_summary.mismatch)
    return field("Amount", rx.debounce_input(box, debounce_timeout=TYPING_PAUSE_MS, force_notify_on_blur=True),
                 html_for="payment-amount", error=error, required=True)


def _payment_fields() -> rx.Component:
    method = native_select("payment-method", "method", list(METHOD_LABELS.items()), value=S.method,
                           on_change=lambda v: S.set_field("method", v))
    client = client_picker("payment-client", S.client_text, S.client_options, S.set_client_text,
                           S.field_errors.get("client_id", ""))
    return rx.card(
        rx.vstack(
            rx.grid(
                rx.box(client, grid_column=rx.breakpoints(initial="auto", md="span 2")),
                _input("Payment date", "payment_date", required=True, **ISO_DATE),
                _amount(),
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


def _allocations() -> rx.Component:
    listing = rx.cond(
        S.allocation_rows.length() > 0,
        allocation_table(S),
        rx.text("This client has no open invoices in ", S.currency,
                "; the whole payment stays as client credit.", color_scheme="gray", size="2"),
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Open invoices", size="4", as_="h2"),
                rx.spacer(),
                allocation_buttons(S),
                width="100%",
                align="center",
            ),
            rx.cond(S.client_ref != "", listing,
                    rx.text("Choose a client to see its open invoices.", color_scheme="gray", size="2")),
            allocation_summary(S, mismatch=False),
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
        rx.vstack(required_note(), _payment_fields(), _allocations(), form_error(S.form_error), _actions(),
                  spacing="4", width="100%"),
        rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
    )
