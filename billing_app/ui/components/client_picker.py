import reflex as rx

from billing_app.ui.components.forms import field


TYPING_PAUSE_MS = 300  # the server hears the text once the typist pauses


def client_picker(html_id: str, value, options, on_change, error, required: bool = True) -> rx.Component:
    """"Client": a text box that suggests "Name (#id)" entries as one types (a <datalist>).

    The box keeps what is typed in the browser and tells the server after a pause: a box bound
    to the server's copy on every key lost the characters typed during each round trip."""
    box = rx.el.input(id=html_id, name=html_id, list=f"{html_id}-options", value=value, on_change=on_change,
                      placeholder="Type to search clients", class_name="native-select", auto_complete="off")
    return field(
        "Client",
        rx.fragment(
            rx.debounce_input(box, debounce_timeout=TYPING_PAUSE_MS, force_notify_on_blur=True),
            rx.el.datalist(rx.foreach(options, lambda option: rx.el.option(value=option)), id=f"{html_id}-options"),
        ),
        html_for=html_id,
        error=error,
        required=required,
    )
