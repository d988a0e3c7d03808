import reflex as rx

from billing_app.ui.components.forms import form_error


def form_dialog(title, body: rx.Component, *, submit_label, on_submit, error, open, on_open_change,
                max_width: str = "560px", destructive: bool = False) -> rx.Component:
    """A dialog holding one form: its fields, the general error, Cancel and the submit button
    (red when it destroys something that cannot be undone)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    body,
                    form_error(error),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button(submit_label, type="submit",
                                  color_scheme="red" if destructive else None),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
                no_validate=True,  # the server's messages, next to the fields, are the checks
            ),
            max_width=max_width,
        ),
        open=open,
        on_open_change=on_open_change,
    )
