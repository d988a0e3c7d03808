"""Labelled form fields with their error shown right under them."""

from functools import cache

import reflex as rx
from pydantic import BaseModel


def field(label: str, control: rx.Component, *, html_for: str, error=None, hint: str = "",
          required: bool = False) -> rx.Component:
    """required: the label shows " *" (see required_note), which is no part of its name."""
    children = [
        rx.el.label(label, html_for=html_for, class_name="field-label required" if required else "field-label"),
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


ISO_DATE = {"placeholder": "YYYY-MM-DD", "pattern": r"\d{4}-\d{2}-\d{2}", "max_length": 10,
            "auto_complete": "off"}
"""Props of a date input: a date is typed, and shown, as 2026-12-05 like in every table and page
(a type="date" input would show it the way the browser's language writes dates: 12/05/2026)."""


def required_note() -> rx.Component:
    """The key to the marks of a form's required fields."""
    return rx.text("Fields marked * are required.", size="1", color_scheme="gray", class_name="required-note")


def form_error(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )


@cache
def max_length(shape: type[BaseModel], name: str) -> int | None:
    """The most characters an input shape takes in a field (its input's maxlength), if limited."""
    schema = shape.model_json_schema()["properties"].get(name, {})
    return next((s["maxLength"] for s in [schema, *schema.get("anyOf", [])] if "maxLength" in s), None)
