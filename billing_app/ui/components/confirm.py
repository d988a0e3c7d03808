import reflex as rx


def confirm_button(label: str, *, title: str, description, confirm_label: str, on_confirm,
                   size: str = "2") -> rx.Component:
    """A red button that asks before it does something hard to undo."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(label, color_scheme="red", variant="soft", size=size)),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(confirm_label, color_scheme="red", on_click=on_confirm)),
                justify="end",
                spacing="3",
                padding_top="1em",
            ),
            max_width="460px",
        ),
    )
