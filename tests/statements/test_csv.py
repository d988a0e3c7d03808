from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from billing_app.domain.statements import (
    CsvMapping,
    StatementFormatError,
    StatementLine,
    csv_preview,
    guess_mapping,
    parse_csv,
)
from billing_app.errors import ValidationFailed

FIXTURES = Path(__file__).parent / "fixtures"
GERMAN = (FIXTURES / "german_bank.csv").read_bytes()
ENGLISH = (FIXTURES / "english_bank.csv").read_bytes()
GERMAN_MAPPING = CsvMapping(
    date="Buchungstag",
    amount="Betrag (EUR)",
    reference="Verwendungszweck",
    counterparty_name="Auftraggeber / Begünstigter",
    counterparty_iban="Kontonummer",
)
ENGLISH_MAPPING = CsvMapping(
    date="Transaction Date",
    amount=None,
    credit="Credit Amount",
    debit="Debit Amount",
    reference="Transaction Description",
)
SIMPLE = CsvMapping(date="Date", amount="Amount")
NO_HEADER = (
    "No header row with column names was found. The file should have one row of column names "
    "and one row per transaction, separated by commas or semicolons."
)


def line(booking: date, amount: str, currency: str, reference: str, name: str = "", iban: str = ""):
    return StatementLine(booking, None, Decimal(amount), currency, reference, name, iban, "")


def test_preview_of_a_german_export_finds_encoding_delimiter_and_the_header_below_the_account_lines():
    preview = csv_preview(GERMAN, max_rows=2)
    assert (preview.encoding, preview.delimiter) == ("cp1252", ";")
    assert preview.headers == [
        "Buchungstag", "Wertstellung", "Buchungstext", "Auftraggeber / Begünstigter", "Verwendungszweck",
        "Kontonummer", "BLZ", "Betrag (EUR)", "Gläubiger-ID", "Mandatsreferenz", "Kundenreferenz",
    ]  # fmt: skip
    assert preview.rows[0][:4] == ["01.03.2024", "01.03.2024", "Gutschrift", "Müller & Söhne GmbH"]
    assert len(preview.rows) == 2 and all(len(row) == len(preview.headers) for row in preview.rows)


def test_preview_of_an_english_export():
    preview = csv_preview(ENGLISH)
    assert (preview.encoding, preview.delimiter) == ("utf-8", ",")
    assert preview.headers[4:7] == ["Transaction Description", "Debit Amount", "Credit Amount"]
    assert [row[4] for row in preview.rows] == [
        "ACME LTD, INV-2024-0050", "BRITISH GAS", "SMITH & JONES REF INV-2024-0051", "MONTHLY ACCOUNT FEE",
    ]  # fmt: skip


def test_a_german_export_is_read_with_comma_decimals_and_day_first_dates():
    statement = parse_csv(GERMAN, GERMAN_MAPPING, default_currency="eur")
    assert (statement.account_iban, statement.statement_id, statement.currency) == ("", "", "EUR")
    assert (statement.opening_balance, statement.closing_balance) == (None, None)
    bakery = ("RE-2024-0043", "Bäckerei Jürgen Weiß", "DE75512108001245126199")
    assert statement.lines == (
        line(date(2024, 3, 1), "1190.00", "EUR", "Rechnung RE-2024-0042 vielen Dank", "Müller & Söhne GmbH",
             "DE44500105175407324931"),
        line(date(2024, 3, 4), "-89.50", "EUR", "Strom Abschlag März", "Stadtwerke Köln", "DE02370501980001802057"),
        line(date(2024, 3, 5), "250.00", "EUR", *bakery),
        line(date(2024, 3, 5), "250.00", "EUR", *bakery),  # the same payment twice on one day: two lines
        line(date(2024, 3, 12), "-12500.00", "EUR", "Miete März 2024", "Büro Größe KG", "DE12500105170648489890"),
        line(date(2024, 3, 28), "-4.90", "EUR", "Kontoführung"),
    )  # fmt: skip


def test_an_english_export_with_debit_and_credit_columns():
    statement = parse_csv(ENGLISH, ENGLISH_MAPPING, default_currency="GBP")
    assert statement.lines == (
        line(date(2024, 4, 2), "1250.00", "GBP", "ACME LTD, INV-2024-0050"),
        line(date(2024, 4, 3), "-84.20", "GBP", "BRITISH GAS"),
        line(date(2024, 4, 15), "600.00", "GBP", "SMITH & JONES REF INV-2024-0051"),
        line(date(2024, 4, 16), "-5.00", "GBP", "MONTHLY ACCOUNT FEE"),
    )


def test_the_guessed_mappings_of_both_exports_read_them():
    german = guess_mapping(csv_preview(GERMAN).headers)
    english = guess_mapping(csv_preview(ENGLISH).headers)
    assert german == GERMAN_MAPPING
    assert english == ENGLISH_MAPPING


def test_a_currency_column_and_other_encodings():
    text = "Date;Amount;Currency;Name\n2024-01-05;12,50;chf;Zoë\n2024-01-06;3;;Zoë\n"
    mapping = CsvMapping(date="Date", amount="Amount", currency="Currency", counterparty_name="Name")
    for data in (text.encode("utf-8-sig"), text.encode("utf-16"), text.encode("utf-8")):
        statement = parse_csv(data, mapping, default_currency="EUR")
        assert [(ln.amount, ln.currency, ln.counterparty_name) for ln in statement.lines] == [
            (Decimal("12.50"), "CHF", "Zoë"),
            (Decimal(3), "EUR", "Zoë"),
        ]
        assert statement.currency is None  # two currencies in one file


def test_blank_lines_and_trailing_delimiters_are_skipped():
    data = b"Date,Amount,\n\n2024-01-05,1.00,\n\n\n2024-01-06,2.00\n\n"
    statement = parse_csv(data, SIMPLE, default_currency="USD")
    assert [ln.amount for ln in statement.lines] == [Decimal("1.00"), Decimal("2.00")]


def test_repeated_or_empty_header_names_are_numbered():
    preview = csv_preview(b"Date;Amount;;Amount\n01.02.2024;1;x;2\n")
    assert preview.headers == ["Date", "Amount", "Column 3", "Amount (2)"]


def refusal(data: bytes, mapping: CsvMapping = SIMPLE) -> str:
    with pytest.raises(StatementFormatError) as refused:
        parse_csv(data, mapping, default_currency="EUR")
    return refused.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\r\n\r\n", "The file is empty."),
        (b"Date,Amount\n", "This file has column names but no transactions."),
        (b"just one line of text\nand another\n", NO_HEADER),
        (b"PK\x03\x04\x00\x00binary", "This file is not a CSV text file. Export the statement from your bank as CSV."),
        (b"Date,Amount\n2024-01-05,1.00\n2024-01-06,12.3x\n", 'Line 3: the amount "12.3x" is not a number.'),
        (b"Date;Amount\n05.01.2024;12,3x\n", 'Line 2: the amount "12,3x" is not a number.'),
        (b"Date,Amount\n2024-01-05,1.00\n\n2024-01-06,\n", "Line 4: the amount is empty."),
        (b"Date,Amount\n2024-01-05,1.00\n2024-02-30,1.00\n", 'Line 3: the date "2024-02-30" is not a date.'),
        (b"Date,Amount\n2024-01-05,1.00\n,1.00\n", "Line 3: the date is empty."),
        (b"Date,Amount\n2024-01-05,1.00\n2024-01-06,2.00,x\n", "Line 3 has 3 columns, but the header row has only 2."),
        (b'Date,Amount\n2024-01-05,"1.00\n', "Line 2 cannot be read as CSV (check its quotes)."),
        (b"Date,Amount,Currency\n2024-01-05,1.00,EURO\n", 'Line 2: "EURO" is not a currency code like EUR.'),
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_the_line_to_look_at(data, message):
    mapping = CsvMapping(date="Date", amount="Amount", currency="Currency") if b"Currency" in data else SIMPLE
    assert refusal(data, mapping) == message


def test_a_mapped_column_missing_from_the_file_is_named():
    with pytest.raises(StatementFormatError) as refused:
        parse_csv(GERMAN, CsvMapping(date="Buchungstag", amount="Betrag"), default_currency="EUR")
    assert refused.value.field == "amount"
    assert refused.value.message.startswith('This file has no column "Betrag". Its columns are: Buchungstag, ')


def test_a_row_with_both_a_credit_and_a_debit_is_refused():
    data = b"Date,Debit,Credit\n2024-01-05,1.00,\n2024-01-06,2.00,3.00\n2024-01-07,0.00,4.00\n"
    mapping = CsvMapping(date="Date", amount=None, credit="Credit", debit="Debit")
    assert refusal(data, mapping) == "Line 3: both the credit and the debit column have an amount."
    statement = parse_csv(data.replace(b"2.00,3.00", b",-3.00"), mapping, default_currency="EUR")
    # the debit column is money out, even written without a minus; a zero beside an amount is no amount
    assert [ln.amount for ln in statement.lines] == [Decimal("-1.00"), Decimal("3.00"), Decimal("4.00")]


def test_an_unknown_default_currency_is_refused():
    with pytest.raises(ValidationFailed, match='"EURO" is not a currency code like EUR.'):
        parse_csv(ENGLISH, ENGLISH_MAPPING, default_currency="EURO")


def test_a_file_of_more_than_100000_transactions_is_refused():
    data = b"Date;Amount\n" + b"05.01.2024;1,00\n" * 100_001
    assert refusal(data) == "This file has more than 100,000 transactions. Export a shorter period."


@pytest.mark.parametrize(
    ("column", "date_format", "expected"),
    [
        (["03/04/2024", "05/06/2024"], "auto", [date(2024, 4, 3), date(2024, 6, 5)]),  # ambiguous: day first
        (["03/04/2024", "04/13/2024"], "auto", [date(2024, 3, 4), date(2024, 4, 13)]),  # the 13th settles it
        (["13/04/2024", "03/04/2024"], "auto", [date(2024, 4, 13), date(2024, 4, 3)]),
        (["5.1.24", "31.12.23"], "auto", [date(2024, 1, 5), date(2023, 12, 31)]),
        (["20240105", "20240106"], "auto", [date(2024, 1, 5), date(2024, 1, 6)]),
        (["2024-01-05 13:45:10", "2024-01-06T09:00:00+01:00"], "auto", [date(2024, 1, 5), date(2024, 1, 6)]),
        (["05-Jan-2024", "06-Jan-2024"], "%d-%b-%Y", [date(2024, 1, 5), date(2024, 1, 6)]),
    ],
)
def test_the_date_format_is_decided_for_the_whole_column(column, date_format, expected):
    data = ("Date|Amount\n" + "".join(f"{cell}|1\n" for cell in column)).encode()
    mapping = CsvMapping(date="Date", amount="Amount", date_format=date_format)
    assert [ln.booking_date for ln in parse_csv(data, mapping, default_currency="EUR").lines] == expected


@pytest.mark.parametrize(
    ("column", "separator", "expected"),
    [
        (["1,234", "5,50"], "auto", ["1.234", "5.50"]),  # "5,50" shows the comma is the decimal mark
        (["1,234", "5.50"], "auto", ["1234", "5.50"]),
        (["1.234", "7"], "auto", ["1234", "7"]),  # nothing shows a decimal mark: both styles read 1234
        (["1.234", "7"], ",", ["1234", "7"]),
        (["1.234", "7"], ".", ["1.234", "7"]),
    ],
)
def test_the_decimal_separator_is_decided_for_the_whole_column(column, separator, expected):
    data = ("Date\tAmount\n" + "".join(f'2024-01-05\t"{cell}"\n' for cell in column)).encode()
    mapping = CsvMapping(date="Date", amount="Amount", decimal_separator=separator)
    assert [ln.amount for ln in parse_csv(data, mapping, default_currency="EUR").lines] == [Decimal(e) for e in expected]
