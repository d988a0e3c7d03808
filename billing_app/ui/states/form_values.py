"""Helpers of event handlers: reading what a browser sent (any event can be crafted), answering."""

from collections.abc import Iterable

import reflex as rx

from billing_app.errors import BillingError

MAX_ID = 2**31 - 1


def positive_int(value) -> int | None:
    """The value as a database id, or None when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def form_text(form, name: str) -> str:
    """A form value as text; missing or non-text values read as empty."""
    value = form.get(name, "") if isinstance(form, dict) else ""
    return value if isinstance(value, str) else ""


def form_fields(form, prefix: str, names: Iterable[str]) -> dict[str, str]:
    """{name: text} of the inputs named `prefix + name`."""
    return {name: form_text(form, prefix + name) for name in names}


def field_errors(error: BillingError) -> dict[str, str]:
    """The error keyed by the field it names, for the message next to that input."""
    return {error.field: error.message} if error.field else {}


def outcome_toast(error: BillingError | None, success: str):
    """A row action's answer: what went wrong, or what was done."""
    return rx.toast.error(error.message) if error else rx.toast.success(success)
