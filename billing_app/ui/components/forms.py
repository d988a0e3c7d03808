"""Labelled form fields with their error shown right under them."""

import reflex as rx


def field(label: str, control: rx.Component, *, html_for: str, error=None, hint: str = "") -> rx.Component:
    children = [
        rx.el.label(label, html_for=html_for, class_name="field-label"),
        control,
    ]
    if hint:
        children.append(rx.text(hint, size="1", color_scheme="gray"))
    if error is not None:
        children.append(
            rx.cond(error != "", rx.text(error, size="1", color_scheme="red", role="alert"))
        )
    return rx.vstack(*children, spacing="1", width="100%", align="stretch")


def text_input(id: str, name: str, **props) -> rx.Component:
    return rx.input(id=id, name=name, width="100%", **props)


def native_select(id: str, name: str, options: list[tuple[str, str]], **props) -> rx.Component:
    """A plain <select>: keyboard friendly and found by its label."""
    return rx.el.select(
        *[rx.el.option(text, value=value) for value, text in options],
        id=id,
        name=name,
        class_name="native-select",
        **props,
    )


def form_error(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )
