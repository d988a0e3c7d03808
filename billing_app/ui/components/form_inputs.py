"""Labelled, uncontrolled inputs for forms that read their values back on submit.

Each input is named `prefix + field`, which is how a state reads the form back. Its error is
looked up as `error_prefix + field`: the field path a service names ("contacts.1.email").
`values` (a dict var, or None for a blank form) fills the inputs when they mount.
"""

import reflex as rx
from pydantic import BaseModel

from billing_app.ui.components.forms import field, max_length, native_select


def fieldset(legend, *children, **props) -> rx.Component:
    """A group of inputs named by its legend (a "group" to screen readers and tests)."""
    return rx.el.fieldset(
        rx.el.legend(rx.heading(legend, size="3", as_="span"), padding="0", margin_bottom="0.75em"),
        *children,
        border="none",
        padding="0",
        margin="0",
        min_width="0",
        width="100%",
        **props,
    )


def field_grid(*children) -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%")


class FormInputs:
    """Builds labelled inputs that share a name prefix, default values and error lookup."""

    def __init__(self, prefix, values, errors, error_prefix="", shape: type[BaseModel] | None = None):
        self.prefix, self.values, self.errors, self.error_prefix = prefix, values, errors, error_prefix
        self.shape = shape  # the input shape the form is checked against: each text input's maxlength

    def _limit(self, name: str) -> dict:
        limit = max_length(self.shape, name) if self.shape else None
        return {} if limit is None else {"max_length": limit}

    def _default(self, name: str) -> dict:
        return {} if self.values is None else {"default_value": self.values[name]}

    def _field(self, label: str, name: str, control: rx.Component, hint: str,
               required: bool = False) -> rx.Component:
        return field(label, control, html_for=self.prefix + name, hint=hint, required=required,
                     error=self.errors.get(self.error_prefix + name, ""))

    def text(self, label: str, name: str, hint: str = "", required: bool = False, **props) -> rx.Component:
        control = rx.input(id=self.prefix + name, name=self.prefix + name, width="100%",
                           **self._default(name), **{**self._limit(name), **props})
        return self._field(label, name, control, hint, required)

    def textarea(self, label: str, name: str, hint: str = "") -> rx.Component:
        control = rx.text_area(id=self.prefix + name, name=self.prefix + name, width="100%",
                               rows="3", **self._default(name), **self._limit(name))
        return self._field(label, name, control, hint)

    def select(self, label: str, name: str, options: list[tuple[str, str]], hint: str = "",
               required: bool = False) -> rx.Component:
        control = native_select(self.prefix + name, self.prefix + name, options, **self._default(name))
        return self._field(label, name, control, hint, required)

    def choice(self, label: str, name: str, options, blank: str, hint: str = "") -> rx.Component:
        """A select over a list var of {"id", "label"} dicts, with a first option for none."""
        control = rx.el.select(
            rx.el.option(blank, value=""),
            rx.foreach(options, lambda option: rx.el.option(option["label"], value=option["id"])),
            id=self.prefix + name, name=self.prefix + name, class_name="native-select",
            **self._default(name),
        )
        return self._field(label, name, control, hint)


def check_field(label: str, control_id: str, make=rx.checkbox, **props) -> rx.Component:
    """A checkbox (or `make=rx.switch`) with its label beside it.

    Radix checkboxes are buttons: a <label> around one would toggle it twice per click.
    """
    return rx.hstack(
        make(id=control_id, **props),
        rx.el.label(label, html_for=control_id, font_size="14px"),
        align="center",
        spacing="2",
    )
