"""A bank's CSV export read through its column mapping into one statement."""

from decimal import Decimal

from billing_app.domain.money import minor_units
from billing_app.domain.statements.csv_mapping import COLUMN_FIELDS, CsvMapping
from billing_app.domain.statements.csv_table import CsvTable, read_table
from billing_app.domain.statements.csv_values import (
    AUTO,
    apply_direction,
    decide_decimal_separator,
    parse_amount,
    parse_dates,
)
from billing_app.domain.statements.records import (
    ParsedStatement,
    StatementFormatError,
    StatementLine,
    collapse_whitespace,
    normalise_iban,
    refuse_excess_decimals,
)
from billing_app.errors import ValidationFailed


def parse_csv(data: bytes, mapping: CsvMapping, *, default_currency: str) -> ParsedStatement:
    """All rows as lines. A credit column counts as money in, a debit column as money out
    whichever sign it is written with; a row must have an amount in exactly one of them.
    With a direction column, it alone says whether the amount is money in or out."""
    fallback_currency = _currency_code(default_currency)
    if fallback_currency is None:
        raise ValidationFailed(f'"{default_currency}" is not a currency code like EUR.', field="default_currency")
    table = read_table(data)
    column = _columns(table, mapping)
    dates = parse_dates(column["date"], mapping.date_format)
    money_columns = [column[field] for field in ("amount", "credit", "debit") if field in column]
    separator = mapping.decimal_separator
    if separator == AUTO:
        separator = decide_decimal_separator([text for cells in money_columns for _, text in cells])

    lines = []
    blank = [""] * len(table.rows)
    text = {field: [t for _, t in column[field]] if field in column else blank for field in COLUMN_FIELDS}
    for row, ((line, _), booking_date) in enumerate(zip(table.rows, dates, strict=True)):
        cell = {field: texts[row] for field, texts in text.items()}
        if mapping.amount:
            amount = parse_amount(cell["amount"], separator, line)
        else:
            credit, debit = (parse_amount(cell[field], separator, line) for field in ("credit", "debit"))
            amount = _credit_or_debit(credit, debit, line)
        if amount is None:
            raise StatementFormatError(f"Line {line}: the amount is empty.")
        if mapping.direction:
            amount = apply_direction(amount, cell["direction"], line)
        refuse_excess_decimals(amount, f"Line {line}")
        currency = _currency_code(cell["currency"] or fallback_currency)
        if currency is None:
            raise StatementFormatError(f'Line {line}: "{cell["currency"]}" is not a currency code like EUR.')
        lines.append(
            StatementLine(
                booking_date=booking_date,
                value_date=None,
                amount=amount,
                currency=currency,
                reference=collapse_whitespace(cell["reference"]),
                counterparty_name=collapse_whitespace(cell["counterparty_name"]),
                counterparty_iban=normalise_iban(cell["counterparty_iban"]),
                bank_reference=collapse_whitespace(cell["bank_reference"]),
            )
        )
    currencies = {line.currency for line in lines}
    return ParsedStatement(
        account_iban="",
        statement_id="",
        currency=currencies.pop() if len(currencies) == 1 else None,
        opening_balance=None,
        closing_balance=None,
        lines=tuple(lines),
    )


def _columns(table: CsvTable, mapping: CsvMapping) -> dict[str, list[tuple[int, str]]]:
    """(line, text) of each mapped column; a mapped name the file lacks is refused."""
    columns = {}
    for field in COLUMN_FIELDS:
        name = getattr(mapping, field)
        if name is None:
            continue
        if name not in table.headers:
            raise StatementFormatError(
                f'This file has no column "{name}". Its columns are: {", ".join(table.headers)}.', field=field
            )
        index = table.headers.index(name)
        columns[field] = [(line, cells[index]) for line, cells in table.rows]
    return columns


def _credit_or_debit(credit: Decimal | None, debit: Decimal | None, line: int) -> Decimal | None:
    if credit and debit:
        raise StatementFormatError(f"Line {line}: both the credit and the debit column have an amount.")
    if debit:
        return -abs(debit)
    return abs(credit) if credit is not None else debit


def _currency_code(text: str) -> str | None:
    code = text.strip().upper()
    try:
        minor_units(code)
    except ValueError:
        return None
    return code
