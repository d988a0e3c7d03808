"""A table to export (typed columns, rows from an iterator) and the CSV and XLSX writers.

Both writers stream: CSV in chunks of rows, XLSX through XlsxWriter's constant_memory mode
(each row goes to disk as it is written; the finished file is then read out in chunks), so
an export of a million invoices never holds them in memory. Numbers and dates are written
as numbers and dates, not text. Text that a spreadsheet would take for a formula (starting
with = + - @, or a tab or carriage return) gets a leading apostrophe.
"""

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

import xlsxwriter

CHUNK_ROWS = 2000
READ_BYTES = 1 << 16
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # Decimal, two or more places
    NUMBER = "number"  # int or Decimal
    DATE = "date"
    DATETIME = "datetime"  # aware; written in UTC


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Table:
    filename: str  # without the extension
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[tuple]]  # called once, when the file is written


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return neutralised(str(value))


def _csv_value(value, kind: Kind):
    if value is None:
        return ""
    if kind in (Kind.MONEY, Kind.NUMBER):
        return f"{value:f}" if isinstance(value, Decimal) else str(value)
    if kind is Kind.DATE:
        return value.isoformat()
    if kind is Kind.DATETIME:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return _text(value)


def csv_chunks(table: Table) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # a BOM, so spreadsheet programs read the file as UTF-8
    writer.writerow([column.title for column in table.columns])
    kinds = [column.kind for column in table.columns]
    for n, row in enumerate(table.rows(), 1):
        writer.writerow([_csv_value(value, kind) for value, kind in zip(row, kinds)])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(table: Table, sheet: str = "Report") -> Iterator[bytes]:
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        _write_xlsx(table, path, sheet)
        with open(path, "rb") as file:
            while chunk := file.read(READ_BYTES):
                yield chunk
    finally:
        os.unlink(path)


def _write_xlsx(table: Table, path: str, sheet: str) -> None:
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_numbers": False, "strings_to_urls": False})
    try:
        worksheet = workbook.add_worksheet(sheet[:31])
        formats = {
            Kind.MONEY: workbook.add_format({"num_format": "#,##0.00"}),
            Kind.NUMBER: workbook.add_format({"num_format": "General"}),
            Kind.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
            Kind.DATETIME: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        bold = workbook.add_format({"bold": True})
        for col, column in enumerate(table.columns):
            worksheet.write_string(0, col, column.title, bold)
            worksheet.set_column(col, col, 14 if column.kind is not Kind.TEXT else 24)
        kinds = [column.kind for column in table.columns]
        for row_number, row in enumerate(table.rows(), 1):
            for col, (value, kind) in enumerate(zip(row, kinds)):
                _write_cell(worksheet, row_number, col, value, kind, formats)
    finally:
        workbook.close()


def _write_cell(worksheet, row: int, col: int, value, kind: Kind, formats) -> None:
    if value is None:
        return
    if kind in (Kind.MONEY, Kind.NUMBER):
        # XLSX numbers are doubles: exact for any amount below 10^11 with 4 decimals
        worksheet.write_number(row, col, float(value), formats[kind])
    elif kind is Kind.DATE:
        worksheet.write_datetime(row, col, datetime.combine(value, datetime.min.time()),
                                 formats[kind])
    elif kind is Kind.DATETIME:
        worksheet.write_datetime(row, col, _utc_naive(value), formats[kind])
    else:
        worksheet.write_string(row, col, _text(value))


def _utc_naive(moment: datetime) -> datetime:
    """Spreadsheets have no time zones: the moment in UTC, as the column title says."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


WRITERS: dict[str, tuple[Callable[[Table], Iterator[bytes]], str]] = {
    "csv": (csv_chunks, "text/csv; charset=utf-8"),
    "xlsx": (xlsx_chunks, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
