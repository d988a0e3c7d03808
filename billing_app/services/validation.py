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
        label = (field or "value").replace("_", " ")
        raise ValidationFailed(f"{label.capitalize()}: {message}", field=field) from exc
