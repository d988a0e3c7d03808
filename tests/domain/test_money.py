from decimal import Decimal

import pytest

from billing_app.domain.money import format_money, format_number, minor_units, parse_money, quantize_money


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


# --- item 8: numbers typed the way the user's or company's locale writes them ---------------

@pytest.mark.parametrize(("text", "locale", "expected"), [
    ("99,50", "de_DE", "99.50"),
    ("1.234,56", "de_DE", "1234.56"),
    ("1.234", "de_DE", "1234"),
    ("99.50", "de_DE", "99.50"),  # a plain number, as the API and the app's own fields write it
    ("-2", "de_DE", "-2"),
    ("1,234.56", "en_US", "1234.56"),
    ("1,234.56", "en_GB", "1234.56"),
    ("1\u202f234,56", "fr_FR", "1234.56"),  # CLDR's narrow no-break space
    ("1\u00a0234,56", "fr_FR", "1234.56"),  # the no-break space a keyboard types
    ("1 234,56", "fr_FR", "1234.56"),
    ("0,5", "fr_FR", "0.5"),
])
def test_item_8_parse_money_reads_the_locales_decimal_comma_and_groups(text, locale, expected):
    assert parse_money(text, locale=locale) == Decimal(expected)


@pytest.mark.parametrize(("text", "locale", "example"), [
    ("12,50", "en_US", "1,234.50"),  # strict: not read as 1250
    ("1,5", "en_US", "1,234.50"),
    ("1.2.3", "de_DE", "1.234,50"),
    ("abc", "de_DE", "1.234,50"),
    ("1,2,3", "fr_FR", "1\u202f234,50"),
])
def test_item_8_parse_money_refuses_misplaced_separators_with_an_example_in_the_locale(text, locale, example):
    with pytest.raises(ValueError) as error:
        parse_money(text, locale=locale)
    assert str(error.value) == f"{text!r} is not an amount; write it like {example}."


@pytest.mark.parametrize(("amount", "locale", "expected"), [
    ("1234.50", "de_DE", "1234,50"), ("120", "en_US", "120"), ("0.075", "fr_FR", "0,075"),
    ("1E+2", "de_DE", "100"), ("1234567.5", "en_US", "1234567.5"),
])
def test_item_8_format_number_writes_what_parse_money_reads_back(amount, locale, expected):
    assert format_number(Decimal(amount), locale) == expected
    assert parse_money(expected, locale) == Decimal(amount)
