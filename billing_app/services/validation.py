"""Turn pydantic validation errors into one readable BillingError."""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from billing_app.errors import ValidationFailed
from billing_app.models.inputs import readable_error

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        message, field, words = readable_error(exc.errors()[0])
        raise ValidationFailed(message, field=field, detail=words) from exc


def validated_item(model: type[BaseModel], data: dict, *, field: str, position: int, label: str):
    """Validate one element of a list, named in the message by `label` ("Contact 2: Email: ...")."""
    try:
        return validated(model, data)
    except ValidationFailed as exc:
        where = f"{field}.{position}" if exc.field is None else f"{field}.{position}.{exc.field}"
        raise ValidationFailed(f"{label}: {exc.message}", field=where, detail=exc.detail) from exc


def reason_given(reason: str | None, *, limit: int, missing: str = "Give the reason.") -> str:
    """The reason for a change that needs one (cancel, void, refund), trimmed and within limit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(missing, field="reason")
    if len(reason) > limit:
        raise ValidationFailed(f"Keep the reason under {limit} characters.", field="reason")
    return reason
