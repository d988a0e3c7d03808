"""Money as Decimal rounded to the currency's minor unit; formatting and parsing through Babel."""

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_group_symbol,
    is_currency,
    parse_decimal,
)


@cache
def minor_units(currency: str) -> int:
    """Decimal places of the currency's minor unit: EUR 2, JPY 0, KWD 3."""
    code = currency.upper()
    if not is_currency(code):
        raise ValueError(f"{currency!r} is not a known ISO 4217 currency code.")
    return get_currency_precision(code)


@cache
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency as a Decimal exponent: Decimal('0.01') for EUR."""
    return Decimal(1).scaleb(-minor_units(currency))


def check_amount(amount: Decimal | int, what: str = "The amount") -> Decimal:
    """The amount as a finite Decimal; floats are refused because they are not exact."""
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal, not {type(amount).__name__}.")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"{what} must be a finite number.")
    return amount


def quantize_money(amount: Decimal | int, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    return check_amount(amount).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | int, currency: str, locale: str = "en_US") -> str:
    return format_currency(quantize_money(amount, currency), currency.upper(), locale=locale)


_SPACES = "\u0020\u00a0\u202f"
_PLAIN = re.compile(r"-?\d+(\.\d+)?")


def parse_money(text: str, locale: str = "en_US") -> Decimal:
    """Read an amount or quantity typed by a person in the locale's way ("1,234.50" in en_US,
    "1.234,50" in de_DE, "1 234,50" in fr_FR with any kind of space); not rounded yet.

    Babel parses strictly, so "1,5" in en_US is refused instead of read as 15. A plain number
    with a decimal point ("99.50") is read as such in every locale when the locale's own
    format does not fit it: that is how numbers are written in the API and filled in by the app.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError("Enter an amount.")
    group = get_group_symbol(locale)
    if group in _SPACES:
        cleaned = re.sub(f"[{_SPACES}]", group, cleaned)
    try:
        amount = parse_decimal(cleaned, locale=locale, strict=True)
    except ValueError:
        amount = Decimal(cleaned) if _PLAIN.fullmatch(cleaned) else None
    if amount is None or not amount.is_finite():
        example = format_decimal(Decimal("1234.50"), format="#,##0.00", locale=locale)
        raise ValueError(f"{cleaned!r} is not an amount; write it like {example}.")
    return amount


def format_number(amount: Decimal, locale: str = "en_US") -> str:
    """An amount or quantity for an input in the locale's way, as parse_money reads it back:
    the decimals it has, no grouping (Decimal("1234.50") is "1234,50" in de_DE)."""
    places = max(0, -amount.as_tuple().exponent)
    return format_decimal(amount, format="0." + "0" * places if places else "0", locale=locale)
