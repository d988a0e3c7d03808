import reflex as rx

from billing_app.ui.components.forms import field


def client_picker(html_id: str, value, options, on_change, error) -> rx.Component:
    """"Client": a text box that suggests "Name (#id)" entries as one types (a <datalist>)."""
    return field(
        "Client",
        rx.fragment(
            rx.el.input(id=html_id, name=html_id, list=f"{html_id}-options", value=value, on_change=on_change,
                        placeholder="Type to search clients", class_name="native-select", auto_complete="off"),
            rx.el.datalist(rx.foreach(options, lambda option: rx.el.option(value=option)), id=f"{html_id}-options"),
        ),
        html_for=html_id,
        error=error,
    )
