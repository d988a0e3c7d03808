from decimal import Decimal

import pytest

from billing_app.domain.money import format_money, minor_units, parse_money, quantize_money


@pytest.mark.parametrize(("currency", "digits"), [("EUR", 2), ("usd", 2), ("JPY", 0), ("KWD", 3)])
def test_minor_units_come_from_iso_4217(currency, digits):
    assert minor_units(currency) == digits


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError, match="not a known ISO 4217"):
        minor_units("EURO")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),  # half up, not banker's rounding (which gives 2.34)
        ("2.335", "EUR", "2.34"),
        ("1234.5", "JPY", "1235"),
        ("0.0005", "KWD", "0.001"),
        ("7", "EUR", "7.00"),
    ],
)
def test_quantize_rounds_half_up_to_the_minor_unit(amount, currency, expected):
    result = quantize_money(Decimal(amount), currency)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -minor_units(currency)


def test_quantize_refuses_floats():
    with pytest.raises(TypeError, match="Decimal"):
        quantize_money(0.1, "EUR")


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("1234.5", "EUR", "en_US", "€1,234.50"),
        ("1234.5", "EUR", "de_DE", "1.234,50\xa0€"),
        ("1234.5", "JPY", "en_US", "¥1,235"),
        ("1.2345", "KWD", "en_US", "KWD1.235"),
    ],
)
def test_format_money(amount, currency, locale, expected):
    assert format_money(Decimal(amount), currency, locale) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.56", "1234.56"), (" 12 ", "12"), ("0.005", "0.005"), ("-3.10", "-3.10")],
)
def test_parse_money(text, expected):
    assert parse_money(text) == Decimal(expected)


def test_parse_money_in_a_german_locale():
    assert parse_money("1.234,56", locale="de_DE") == Decimal("1234.56")


@pytest.mark.parametrize("text", ["", "   ", "abc", "12abc", "NaN", "inf", "-Infinity", "1,23"])
def test_parse_money_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueError) as error:
        parse_money(text)
    assert "amount" in str(error.value)
