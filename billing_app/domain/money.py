"""Money as Decimal rounded to the currency's minor unit; formatting and parsing through Babel."""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import format_currency, get_currency_precision, is_currency, parse_decimal


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


def parse_money(text: str, locale: str = "en_US") -> Decimal:
    """Read an amount typed by a person ("1,234.50" in en_US); not rounded yet."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError("Enter an amount.")
    try:
        amount = parse_decimal(cleaned, locale=locale, strict=True)
    except ValueError:
        raise ValueError(f"{cleaned!r} is not an amount; write it like 1234.50.") from None
    if not amount.is_finite():
        raise ValueError(f"{cleaned!r} is not an amount; write it like 1234.50.")
    return amount
