"""Helpers of event handlers: reading what a browser sent (any event can be crafted), answering."""

from collections.abc import Iterable

import reflex as rx

from billing_app.domain.money import parse_money
from billing_app.errors import BillingError, ValidationFailed
from billing_app.queries.company import company_ensure

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


def plain_number(text: str, locale: str, field: str) -> str:
    """A number typed the locale's way ("1.234,50" in de_DE) written plainly for a service
    ("1234.50"); blank stays blank. The service checks the rest (negative, too large)."""
    if not text.strip():
        return text
    try:
        return f"{parse_money(text, locale):f}"
    except ValueError as exc:
        label = field.replace("_", " ").capitalize()
        raise ValidationFailed(f"{label}: {exc}", field=field) from None


def typed_numbers(db, data: dict[str, str], *names: str) -> dict[str, str]:
    """`data` with the number fields `names` typed the company locale's way, written plainly;
    what is no number goes on as typed, for the service to explain along with the other fields."""
    locale = company_ensure(db).locale

    def plain(name: str) -> str:
        try:
            return plain_number(data[name], locale, name)
        except ValidationFailed:
            return data[name]

    return {**data, **{name: plain(name) for name in names if name in data}}


def field_errors(error: BillingError) -> dict[str, str]:
    """The error keyed by the field it names, for the message next to that input."""
    return {error.field: error.message} if error.field else {}


def dialog_errors(error: BillingError, fields: Iterable[str]) -> dict[str, str]:
    """The message next to the dialog's input it names, else above the dialog's form ("form")."""
    return {error.field if error.field in set(fields) else "form": error.message}


def outcome_toast(error: BillingError | None, success: str):
    """A row action's answer: what went wrong, or what was done."""
    return rx.toast.error(error.message) if error else rx.toast.success(success)
