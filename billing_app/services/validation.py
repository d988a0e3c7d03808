"""Turn pydantic validation errors into one readable BillingError."""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from billing_app.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        message = first.get("msg", "Invalid value").removeprefix("Value error, ")
        label = " ".join(f"#{p + 1}" if isinstance(p, int) else str(p).replace("_", " ")
                         for p in first.get("loc", ())) or "value"
        raise ValidationFailed(f"{label.capitalize()}: {message}", field=field) from exc


def validated_item(model: type[BaseModel], data: dict, *, field: str, position: int, label: str):
    """Validate one element of a list, naming it in the message ("Contact 2: Email: ...")."""
    try:
        return validated(model, data)
    except ValidationFailed as exc:
        where = f"{field}.{position}" if exc.field is None else f"{field}.{position}.{exc.field}"
        raise ValidationFailed(f"{label} {position + 1}: {exc.message}", field=where) from exc


def reason_given(reason: str | None, *, limit: int, missing: str = "Give the reason.") -> str:
    """The reason for a change that needs one (cancel, void, refund), trimmed and within limit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(missing, field="reason")
    if len(reason) > limit:
        raise ValidationFailed(f"Keep the reason under {limit} characters.", field="reason")
    return reason
