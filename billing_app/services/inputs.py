"""Field types for input shapes: trimmed text, and codes checked against Babel's CLDR data."""

from functools import lru_cache
from typing import Annotated

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from pydantic import AfterValidator, BeforeValidator, StringConstraints

# CLDR names these regions but they are no countries: groupings, pseudo and unknown regions.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes that Babel names."""
    names = Locale("en").territories
    return frozenset(code for code in names if len(code) == 2 and code.isalpha()) - _NOT_COUNTRIES


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (no DEM, no XXX)."""
    return frozenset(
        code
        for history in get_global("territory_currencies").values()
        for code, _start, end, tender in history
        if end is None and tender
    )


def _country(value: str) -> str:
    code = value.upper()
    if code not in countries():
        raise ValueError("Choose a country by its two-letter ISO code, such as DE or US.")
    return code


def _currency(value: str) -> str:
    code = value.upper()
    if code not in currencies():
        raise ValueError(f"{value!r} is not a currency in use; use an ISO 4217 code such as EUR.")
    return code


def _locale(value: str) -> str:
    try:
        return str(Locale.parse(value.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"{value!r} is not a known locale; use a code such as en_US or de_DE.") from None


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _required(value: str) -> str:
    if not value:
        raise ValueError("This field is required.")
    return value


def text(max_length: int) -> type[str]:
    """Required text, trimmed, at most max_length characters."""
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length),
                     AfterValidator(_required)]


def optional(kind: type) -> type:
    """The kind, or None for a missing or blank value."""
    return Annotated[kind | None, BeforeValidator(_blank_to_none)]


def optional_text(max_length: int) -> type:
    return optional(Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length)])


_Code = Annotated[str, StringConstraints(strip_whitespace=True)]
CountryCode = Annotated[_Code, AfterValidator(_country)]
CurrencyCode = Annotated[_Code, AfterValidator(_currency)]
LocaleCode = Annotated[_Code, AfterValidator(_locale)]
