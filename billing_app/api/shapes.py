"""Request shapes made from the services' input shapes, and how decimals are written out.

The services accept amounts as text or as Decimal/int from code. Over JSON a number would
have passed through a float on many clients, so the API takes amounts as strings only.
"""

from decimal import Decimal
from typing import ClassVar, TypeVar

from pydantic import (
    BaseModel,
    GetJsonSchemaHandler,
    ValidationInfo,
    create_model,
    field_validator,
)
from pydantic.fields import FieldInfo

from billing_app.domain.money import minor_unit
from billing_app.models.inputs import decimal_pattern

M = TypeVar("M", bound=BaseModel)

AMOUNT_AS_TEXT = 'Send amounts as strings, e.g. "12.50", to avoid float rounding.'
DECIMAL_TEXT = decimal_pattern()
"""What the schema promises a generated client: a plain decimal such as "12.50". The API also
reads grouped amounts ("1,234.50"); whether zero or more decimals fit is the field's and the
currency's rule, in the error message."""
POSITIVE_TEXT = decimal_pattern(positive=True)
PERCENT_TEXT = r"^(100(\.0{1,4})?|[0-9]{1,2}(\.[0-9]{1,4})?)$"
"""A decimal as DECIMAL_TEXT from 0 to 100."""
CURRENCY_DECIMALS = ("At most as many decimals as the currency has: 0 for JPY or KRW, 2 for "
                     "EUR or USD, 3 for BHD or KWD (CLDR's digits of the currency).")
"""The money amount rule JSON Schema cannot state: the currency is another field, or the
client's, the payment's or the company's."""


class AmountsAsText(BaseModel):
    """A request shape whose fields named in `amounts` take strings, never JSON numbers; the
    API docs show them as strings."""

    amounts: ClassVar[tuple[str, ...]] = ()
    amount_rules: ClassVar[dict[str, dict]] = {}
    """Per amount, what the schema says beyond a plain decimal: a narrower pattern, a
    description of a rule a pattern cannot state."""

    @field_validator("*", mode="before")
    @classmethod
    def _amount_as_text(cls, value, info: ValidationInfo):
        if (info.field_name in cls.amounts and isinstance(value, (int, float))
                and not isinstance(value, bool)):
            raise ValueError(AMOUNT_AS_TEXT)
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler: GetJsonSchemaHandler):
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name in cls.amounts:
            rules = dict(cls.amount_rules.get(name, {}))
            described = {"description": rules.pop("description")} if "description" in rules else {}
            text = {"type": "string", "pattern": DECIMAL_TEXT, "maxLength": 20, "examples": ["12.50"],
                    **rules}
            field = schema["properties"][name]
            nullable = {"type": "null"} in field.get("anyOf", ())
            typed = {"anyOf": [text, {"type": "null"}]} if nullable else text
            schema["properties"][name] = {"title": field.get("title"), **described, **typed}
        return schema


def partial(model: type[M], **stated: dict) -> type[M]:
    """The shape with every field optional: what is left out keeps its current value.

    Fields that are sent are checked as in `model`; read them with model_dump(exclude_unset=True).
    `stated`: per field, what its schema says beyond its type (a pattern, a rule in words).
    """
    def schema_of(name: str, info: FieldInfo) -> dict:
        if name not in stated:
            return {}
        return {"json_schema_extra": {**(info.json_schema_extra or {}), **stated[name]}}

    fields = {name: (info.annotation,
                     FieldInfo.merge_field_infos(info, default=None, **schema_of(name, info)))
              for name, info in model.model_fields.items()}
    return create_model(f"{model.__name__}Patch", __base__=model, **fields)


def attributes(row: object, model: type[BaseModel]) -> dict:
    """The values of the row's attributes that the model has fields for (as loaded, unlike
    a table row's model_dump, which expects enums where the database gives text)."""
    return {name: getattr(row, name) for name in model.model_fields if hasattr(row, name)}


def decimal_text(value: Decimal | None) -> str | None:
    """A quantity or a rate without trailing zeros: "1.5", "19"."""
    return None if value is None else format(value.normalize(), "f")


def amount_text(value: Decimal | None, currency: str) -> str | None:
    """An amount with the currency's decimals ("12.50"), or more where it has them ("0.1234")."""
    if value is None:
        return None
    rounded = value.quantize(minor_unit(currency))
    return str(rounded) if rounded == value else decimal_text(value)
