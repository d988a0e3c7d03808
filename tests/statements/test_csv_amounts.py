"""Amounts as bank CSV exports write them, and the property that either decimal style reads back exactly."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_app.domain.statements import CsvMapping, StatementFormatError, parse_csv
from billing_app.domain.statements.csv_values import decide_decimal_separator, parse_amount


def read(text: str, separator: str | None = "auto") -> Decimal | None:
    if separator == "auto":
        separator = decide_decimal_separator([text])
    return parse_amount(text, separator, line=2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 1.234,56", "1234.56"),
        ("1.234,56 €", "1234.56"),
        ("-12.00", "-12.00"),
        ("(12.00)", "-12.00"),
        ("12.00-", "-12.00"),
        ("+5", "5"),
        ("$1,234.50", "1234.50"),
        ("-£5.00", "-5.00"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),  # no-break space, as spreadsheets group
        ("1'234.56", "1234.56"),  # Swiss
        ("12,00 EUR", "12.00"),
        ("EUR -12,00", "-12.00"),
        ("\u22127,50", "-7.50"),  # the minus sign character
        ("0,05", "0.05"),
        (".5", "0.5"),
        ("1.234.567", "1234567"),
        ("-0,00", "0.00"),
    ],
)
def test_an_amount_cell_is_read_exactly(text, expected):
    amount = read(text)
    assert amount == Decimal(expected)
    assert str(amount) == expected  # exact, trailing zeros kept: no float on the way


@pytest.mark.parametrize("text", ["12,3x", "1.23,45", "12..5", "--5", "(12.00", "abc", "EUR", "1,2,3.4.5", "-"])
def test_a_cell_that_is_no_amount_is_refused_with_its_line(text):
    with pytest.raises(StatementFormatError) as refused:
        read(text)
    assert refused.value.message == f'Line 2: the amount "{text}" is not a number.'


def test_an_empty_cell_is_no_amount():
    assert read("") is None


def written(amount: Decimal, decimal_separator: str, grouped: bool) -> str:
    """As a bank in that style writes it: "1,234.56" or "1.234,56" (or ungrouped), sign in front."""
    text = f"{abs(amount):,f}" if grouped else f"{abs(amount):f}"
    if decimal_separator == ",":
        text = text.translate(str.maketrans(",.", ".,"))
    return ("-" if amount < 0 else "") + text


def amounts(places: int):
    return st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=places)


@given(amount=amounts(2), separator=st.sampled_from([".", ","]), grouped=st.booleans())
def test_amounts_in_cents_read_back_alike_in_either_style_when_the_style_is_guessed(amount, separator, grouped):
    assert read(written(amount, separator, grouped)) == amount


@given(
    amount=st.integers(0, 4).flatmap(amounts),
    separator=st.sampled_from([".", ","]),
    grouped=st.booleans(),
)
def test_any_amount_reads_back_exactly_with_the_style_given(amount, separator, grouped):
    assert read(written(amount, separator, grouped), separator) == amount


@given(
    column=st.lists(st.one_of(amounts(0), amounts(2)), min_size=1, max_size=20),
    separator=st.sampled_from([".", ","]),
)
def test_a_whole_column_reads_back_alike_in_either_style(column, separator):
    delimiter = ";" if separator == "," else ","
    rows = "".join(f'2024-01-05{delimiter}"{written(amount, separator, grouped=True)}"\n' for amount in column)
    data = f"Date{delimiter}Amount\n{rows}".encode()
    statement = parse_csv(data, CsvMapping(date="Date", amount="Amount"), default_currency="EUR")
    assert [line.amount for line in statement.lines] == column
