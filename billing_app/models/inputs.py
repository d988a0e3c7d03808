"""The one home of input field types and the words their checks use.

Every input shape (clients, invoices, payments, products, settings; forms and the API) builds
on these types, so a currency, a country or a required field is checked one way and refused
in the same plain words. `readable_error` turns any pydantic error into such words; the
services (services/validation.py) and the API (api/errors.py) both use it.
"""

from functools import lru_cache
from typing import Annotated

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers
from babel.numbers import get_currency_name
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

# CLDR names these regions but they are no ISO 3166-1 countries: groupings, pseudo, unknown
# and exceptionally reserved codes.
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
                            "XA", "XB", "XK", "ZZ"})
REQUIRED = "This is required."
DELIVERABLE_EMAIL = ("An address mail can be delivered to: domains reserved for special use, "
                     "such as .test, .local, .invalid or .localhost, are refused.")
"""What email-validator refuses beyond the schema's format "email"."""


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """The 249 ISO 3166-1 alpha-2 codes (Babel's CLDR names them)."""
    names = Locale("en").territories
    return frozenset(code for code in names if len(code) == 2 and code.isalpha()) - _NOT_COUNTRIES


@lru_cache(maxsize=1)
def country_names() -> tuple[tuple[str, str], ...]:
    """(code, English name) of every country, by name: the choices of every country input."""
    names = Locale("en").territories
    return tuple(sorted(((code, names[code]) for code in countries()), key=lambda option: option[1]))


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (no DEM, no XXX)."""
    return frozenset(
        code
        for history in get_global("territory_currencies").values()
        for code, _start, end, tender in history
        if end is None and tender
    )


@lru_cache(maxsize=1)
def currency_names() -> tuple[tuple[str, str], ...]:
    """(code, "EUR – Euro") of every currency in use, by code: the choices of every currency input."""
    return tuple((code, f"{code} – {get_currency_name(code, locale='en')}") for code in sorted(currencies()))


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _required(value: object) -> object:
    value = _stripped(value)
    if value is None or value == "":
        raise PydanticCustomError("required", REQUIRED)
    return value


def _blank_to_none(value: object) -> object:
    value = _stripped(value)
    return None if value == "" else value


def _code(value: object) -> object:
    value = _required(value)
    return value.upper() if isinstance(value, str) else value


def _country(value: str) -> str:
    if value not in countries():
        raise ValueError("Choose a country by its two-letter ISO code, such as DE or US.")
    return value


def _currency(value: str) -> str:
    if value not in currencies():
        raise ValueError(f"{value!r} is not a currency in use; use an ISO 4217 code such as EUR.")
    return value


def _locale(value: str) -> str:
    try:
        return str(Locale.parse(value.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"{value!r} is not a known locale; use a code such as en_US or de_DE.") from None


def decimal_pattern(whole_digits: int = 15, *, positive: bool = False) -> str:
    """The schema's pattern of a plain decimal string such as "12.50": at most `whole_digits`
    digits before the point and 4 after it; `positive`: more than zero."""
    if not positive:
        return rf"^[0-9]{{1,{whole_digits}}}(\.[0-9]{{1,4}})?$"
    return (rf"^(0*[1-9][0-9]{{0,{whole_digits - 1}}}(\.[0-9]{{1,4}})?"
            rf"|0{{1,{whole_digits}}}\.([1-9][0-9]{{0,3}}|0[1-9][0-9]{{0,2}}|00[1-9][0-9]?|000[1-9]))$")


def text(max_length: int) -> type[str]:
    """Required text, trimmed, at most max_length characters."""
    return Annotated[str, StringConstraints(max_length=max_length), BeforeValidator(_required),
                     Field(json_schema_extra={"pattern": r"\S"})]  # the schema says: not blank


def optional(kind: type) -> type:
    """The kind, or None for a missing or blank value."""
    return Annotated[kind | None, BeforeValidator(_blank_to_none)]


def optional_text(max_length: int) -> type:
    """Text, trimmed, at most max_length characters; blank is None."""
    return optional(Annotated[str, StringConstraints(max_length=max_length)])


# The API's schema lists the codes, so a client generated from it sends only valid ones.
CountryCode = Annotated[str, BeforeValidator(_code), AfterValidator(_country),
                        Field(json_schema_extra={"enum": sorted(countries())})]
CurrencyCode = Annotated[str, BeforeValidator(_code), AfterValidator(_currency),
                         Field(json_schema_extra={"enum": sorted(currencies())})]
LocaleCode = Annotated[str, BeforeValidator(_required), AfterValidator(_locale),
                       Field(json_schema_extra={"enum": sorted(locale_identifiers()),
                                                "examples": ["en_US", "de_DE"]})]


# --- The words for a refused value ------------------------------------------------------------

FIELD_LABELS = {
    "line1": "Street and number", "line2": "Address line 2", "postal_code": "Postal code",
    "tax_id": "Tax ID", "payment_terms_days": "Payment terms (days)", "iban": "IBAN", "bic": "BIC",
    "vat_id": "VAT ID", "client_id": "Client", "invoice_id": "Invoice", "email": "Email",
    "unit_price": "Unit price", "due_date": "Due date", "issue_date": "Issue date",
    "payment_date": "Payment date",
}
"""Field names whose words differ from the name with its underscores as spaces."""


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def _at_least(context: dict, unit: str) -> str:
    return f"{context.get('min_length')} {unit}{'s' * (context.get('min_length') != 1)}"


def _at_most(context: dict, unit: str) -> str:
    return f"{context.get('max_length')} {unit}{'s' * (context.get('max_length') != 1)}"


_DATE, _DATETIME, _NUMBER, _OBJECT = ("Enter a date like 2026-01-31.", "Enter a date and time like 2026-01-31T09:30.",
                                      "Enter a number, like 12.50.", "Give an object of named fields.")
_FIXED = {
    **dict.fromkeys(("missing", "required"), REQUIRED),
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float"), "Enter a whole number."),
    **dict.fromkeys(("decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"), _NUMBER),
    **dict.fromkeys(("date_parsing", "date_from_datetime_parsing", "date_type"), _DATE),
    **dict.fromkeys(("datetime_parsing", "datetime_from_date_parsing", "datetime_type"), _DATETIME),
    **dict.fromkeys(("bool_parsing", "bool_type"), "Choose yes or no."),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), _OBJECT),
    **dict.fromkeys(("url_parsing", "url_scheme"), "Enter a web address like https://example.com."),
    "date_from_datetime_inexact": "Enter a date like 2026-01-31, without a time.",
    "string_type": "Enter text.",
    "list_type": "Give a list.",
    "uuid_parsing": "Enter a UUID.",
    "extra_forbidden": "This field is not known here; leave it out.",
}
"""The words for an error whatever its details."""
_SHAPED = {
    "string_too_short": lambda c: REQUIRED if c.get("min_length") == 1
    else f"Use at least {_at_least(c, 'character')}.",
    "string_too_long": lambda c: f"Use at most {_at_most(c, 'character')}.",
    "too_short": lambda c: f"Give at least {_at_least(c, 'entry')}.".replace("entrys", "entries"),
    "too_long": lambda c: f"Give at most {_at_most(c, 'entry')}.".replace("entrys", "entries"),
    "decimal_max_places": lambda c: f"Use at most {c.get('decimal_places')} decimals.",
    "decimal_max_digits": lambda c: f"Use at most {c.get('max_digits')} digits.",
    "decimal_whole_digits": lambda c: f"Use at most {c.get('whole_digits')} digits before the point.",
    "greater_than": lambda c: f"Enter more than {c.get('gt')}.",
    "greater_than_equal": lambda c: f"Enter {c.get('ge')} or more.",
    "less_than": lambda c: f"Enter less than {c.get('lt')}.",
    "less_than_equal": lambda c: f"Enter {c.get('le')} or less.",
    "enum": lambda c: f"Choose one of: {c.get('expected')}.",
    "literal_error": lambda c: f"Choose one of: {c.get('expected')}.",
}
"""The words for an error that say its limit or choices (from the error's context)."""


def plain_words(error: dict) -> str:
    """One pydantic error in words for a person: what to enter, not what the parser wanted."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if isinstance(error.get("input"), str) and kind in {"too_short", "too_long"}:
        kind = f"string_{kind}"  # a length checked after a validator: of text all the same
    if kind in _FIXED:
        return _FIXED[kind]
    if kind in _SHAPED:
        return _SHAPED[kind](context)
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "value_error" and message.startswith("value is not a valid email address"):
        return "Enter an email address like name@example.com."
    if not message:
        return "Check this value."
    return message[0].upper() + message[1:]


def readable_error(error: dict, *, skip: int = 0) -> tuple[str, str | None, str]:
    """(message, field, words) of one pydantic error: the message names the field in words
    ("Street and number is required.", "Password: Use at least 12 characters."), the field is
    its dotted path, the words are the message without the field's name (for right next to it).
    `skip` drops leading parts of the location (the API's "body", "query").
    Items of a list read "Lines #2 quantity"; errors of a union's arms name no arm."""
    location = [part for part in tuple(error.get("loc", ()))[skip:]
                if not (isinstance(part, str) and ("[" in part or part in {"function-after", "function-before"}))]
    field = ".".join(str(part) for part in location) or None
    words = plain_words(error)
    names = [f"#{part + 1}" if isinstance(part, int) else field_label(str(part)) for part in location]
    if not names:
        return words, field, words
    label = " ".join([names[0], *[name if name.startswith("#") else name.lower() for name in names[1:]]])
    if words == REQUIRED:
        return f"{label} is required.", field, words
    return f"{label}: {words}", field, words
