import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.client_fields import address_fields, client_fields, contact_fields
from billing_app.ui.components.form_inputs import check_field, fieldset
from billing_app.ui.components.forms import form_error, required_note
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.client_new import ClientNewState

State = ClientNewState


def _contact(key, index) -> rx.Component:
    prefix = "contact-" + key + "-"
    return rx.card(
        fieldset(
            "Contact " + (index + 1).to_string(),
            rx.vstack(
                contact_fields(prefix, None, State.field_errors, "contacts." + index.to_string() + "."),
                rx.hstack(
                    rx.el.label(
                        rx.el.input(type="radio", id=prefix + "primary", name="primary_contact", value=key,
                                    checked=State.primary_key == key,
                                    on_change=State.set_primary(key)),
                        rx.text("Primary contact", size="2"),
                        display="flex", align_items="center", gap="0.5em",
                    ),
                    rx.spacer(),
                    rx.button("Remove contact", type="button", size="1", variant="soft", color_scheme="red",
                              on_click=State.remove_contact(key)),
                    width="100%",
                    align="center",
                ),
                spacing="3",
                width="100%",
            ),
        ),
        key=key,
        width="100%",
    )


def _contacts() -> rx.Component:
    return fieldset(
        "Contacts",
        rx.vstack(
            rx.cond(State.contact_keys.length() == 0,
                    rx.text("No contacts yet. The first contact you add is the primary contact.",
                            size="2", color_scheme="gray")),
            rx.foreach(State.contact_keys, _contact),
            rx.button(rx.icon("plus", size=16), "Add contact", type="button", variant="soft",
                      on_click=State.add_contact),
            spacing="3",
            width="100%",
        ),
    )


def _addresses() -> rx.Component:
    return rx.vstack(
        fieldset("Billing address", address_fields("billing-", State.defaults, State.field_errors,
                                                   "addresses.0.")),
        check_field("Add a different shipping address", "client-with-shipping", name="client-with-shipping",
                    checked=State.with_shipping,
                    on_change=State.set_with_shipping),
        rx.cond(
            State.with_shipping,
            fieldset("Shipping address", address_fields("shipping-", State.defaults, State.field_errors,
                                                        "addresses.1.")),
        ),
        spacing="3",
        width="100%",
    )


def _duplicate_warning() -> rx.Component:
    """A client of the same name or tax id exists: a link to it, and "Create anyway"."""
    duplicate = State.duplicate
    return rx.cond(duplicate.length() > 0, rx.callout.root(
        rx.callout.icon(rx.icon("copy")),
        rx.vstack(
            rx.callout.text(duplicate["message"]),
            rx.hstack(
                rx.link("Open ", duplicate["name"], href=duplicate["href"]),
                rx.button("Create anyway", type="submit", variant="soft", color_scheme="amber",
                          on_click=State.create_anyway),
                align="center",
                spacing="4",
            ),
            spacing="2",
        ),
        color_scheme="amber",
        role="alert",
        width="100%",
    ))


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            required_note(),
            rx.card(fieldset("Client details", client_fields("client-", State.defaults, State.field_errors)),
                    width="100%"),
            rx.card(_contacts(), width="100%"),
            rx.card(_addresses(), width="100%"),
            form_error(State.form_error),
            rx.hstack(
                link_button("Cancel", routes.CLIENTS.route, variant="soft", color_scheme="gray"),
                rx.button("Create client", type="submit"),
                justify="end",
                width="100%",
            ),
            _duplicate_warning(),  # after "Create client": Enter in a field still presses that one
            spacing="4",
            width="100%",
        ),
        on_submit=State.create_client,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
        max_width="880px",
    )


@private_page(routes.CLIENT_NEW, on_load=[ClientNewState.load])
def client_new_page() -> rx.Component:
    return rx.cond(State.loaded, _form(), rx.center(rx.spinner(size="3"), padding="2em", width="100%"))
