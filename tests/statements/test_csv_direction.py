"""Bank CSV exports with an unsigned amount and a column saying money in or out."""

from decimal import Decimal
from pathlib import Path

import pytest

from billing_app.domain.statements import CsvMapping, StatementFormatError, guess_mapping, parse_csv
from billing_app.domain.statements.csv_table import read_table
from billing_app.errors import ValidationFailed

CASES = Path(__file__).parent / "fixtures" / "bank_cases"
ING = CsvMapping(date="Datum", amount="Bedrag (EUR)", direction="Af Bij", reference="Mededelingen",
                 counterparty_name="Naam / Omschrijving", counterparty_iban="Tegenrekening")
D_C = CsvMapping(date="Booking date", amount="Amount", direction="D/C", currency="Currency",
                 reference="Description", counterparty_name="Counterparty",
                 counterparty_iban="Counterparty IBAN")
DEBIT_CREDIT = CsvMapping(date="Date", amount="Amount", direction="Debit/Credit",
                          reference="Description", counterparty_name="Payer")


@pytest.mark.parametrize(("name", "mapping", "amounts"), [
    # Dutch (ING): "Af"/"Bij", decimal comma, dates as 20310603
    ("ing_af_bij.csv", ING, ["119.00", "-89.50", "80.00"]),
    # "D"/"C", any case, 1.190,00
    ("d_c.csv", D_C, ["1190.00", "-89.50", "80.00"]),
    # "Debit"/"Credit", any case
    ("debit_credit.csv", DEBIT_CREDIT, ["119.00", "-12.40", "80.00"]),
])
def test_the_direction_column_signs_the_amount(name, mapping, amounts):
    statement = parse_csv((CASES / name).read_bytes(), mapping, default_currency="EUR")
    assert [line.amount for line in statement.lines] == [Decimal(amount) for amount in amounts]
    first = statement.lines[0]
    assert first.counterparty_name == "Nordwind Handel GmbH" and "INV-2031-00001" in first.reference


@pytest.mark.parametrize("name", ["ing_af_bij.csv", "d_c.csv", "debit_credit.csv"])
def test_the_direction_column_is_guessed_from_its_header(name):
    guessed = guess_mapping(read_table((CASES / name).read_bytes()).headers)
    assert guessed.direction == {"ing_af_bij.csv": "Af Bij", "d_c.csv": "D/C",
                                 "debit_credit.csv": "Debit/Credit"}[name]
    assert guessed.amount is not None


def test_camt_codes_and_a_signed_amount_are_read_too():
    """DBIT/CRDT as in camt; a sign written on the amount gives way to the column."""
    data = b"Date,Amount,Ind\n2031-06-03,-5.00,crdt\n2031-06-04,7.00,DBIT\n2031-06-05,0.00,DBIT\n"
    mapping = CsvMapping(date="Date", amount="Amount", direction="Ind")
    amounts = [line.amount for line in parse_csv(data, mapping, default_currency="EUR").lines]
    assert amounts == [Decimal("5.00"), Decimal("-7.00"), Decimal("0.00")]
    assert str(amounts[2]) == "0.00"  # not -0.00


@pytest.mark.parametrize(("cell", "said"), [("X", '"X"'), ("", "nothing"), ("Bij Af", '"Bij Af"')])
def test_an_unknown_direction_is_refused_naming_its_line(cell, said):
    data = f"Date,Amount,Ind\n2031-06-03,5.00,C\n2031-06-04,7.00,{cell}\n".encode()
    with pytest.raises(StatementFormatError) as refused:
        parse_csv(data, CsvMapping(date="Date", amount="Amount", direction="Ind"), default_currency="EUR")
    assert refused.value.field == "direction"
    assert refused.value.message == (
        f"Line 3: the direction column says {said}; write money in as Bij, C, Credit, CRDT, H, Haben "
        "or money out as Af, D, Debit, DBIT, S, Soll.")


def test_a_direction_needs_one_amount_column():
    with pytest.raises(ValidationFailed) as refused:
        CsvMapping(date="Date", amount=None, credit="In", debit="Out", direction="D/C")
    assert refused.value.field == "direction"


def test_the_direction_is_saved_with_the_mapping():
    assert CsvMapping.from_json(D_C.to_json()) == D_C
    # a mapping saved before there was a direction reads as none
    assert CsvMapping.from_json({"date": "Date", "amount": "Amount"}).direction is None


def test_an_amount_with_more_decimals_than_are_kept_is_refused_naming_its_line():
    data = b"Date,Amount\n2031-06-03,5.00\n2031-06-04,0.123456\n"
    with pytest.raises(StatementFormatError) as refused:
        parse_csv(data, CsvMapping(date="Date", amount="Amount", decimal_separator="."), default_currency="EUR")
    assert refused.value.message.startswith('Line 3: the amount "0.123456" has more than 4 decimals;')
