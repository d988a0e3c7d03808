"""A bank's CSV export as a table: its encoding, delimiter, header row and data rows.

Banks put lines about the account above the header ("Kontonummer:;DE89…"), so the header
is the first mostly filled row that most rows below it fit under.
"""

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

from billing_app.domain.statements.records import StatementFormatError, collapse_whitespace, refuse_oversized

DELIMITERS = ",;\t|"
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 30
SNIFF_LINES = 50
SNIFF_CHARS = 64 * 1024  # csv.Sniffer's regular expressions are slow on long lines
NOT_CSV = "This file is not a CSV text file. Export the statement from your bank as CSV."


@dataclass(frozen=True)
class CsvPreview:
    headers: list[str]
    rows: list[list[str]]  # the first data rows, one cell per header
    delimiter: str
    encoding: str


@dataclass(frozen=True)
class CsvTable:
    headers: list[str]  # unique names: a repeated or empty header gets a number
    rows: list[tuple[int, list[str]]]  # (line number in the file, one cell per header)
    delimiter: str
    encoding: str


def csv_preview(data: bytes, *, max_rows: int = 5) -> CsvPreview:
    table = read_table(data)
    return CsvPreview(
        headers=table.headers,
        rows=[cells for _, cells in table.rows[:max_rows]],
        delimiter=table.delimiter,
        encoding=table.encoding,
    )


def read_table(data: bytes) -> CsvTable:
    refuse_oversized(data)
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    delimiter = detect_delimiter(text)
    records = _records(text, delimiter)
    head = [next(records, None) for _ in range(HEADER_SEARCH_ROWS)]
    head = [record for record in head if record is not None]
    if not head:
        raise StatementFormatError("The file is empty.")
    header_at = _header_index([_trim(cells) for _, cells in head])
    if header_at is None:
        raise StatementFormatError(
            "No header row with column names was found. The file should have one row of column "
            "names and one row per transaction, separated by commas or semicolons."
        )
    headers = _unique_names(_trim(head[header_at][1]))
    rows = []
    for line, cells in [*head[header_at + 1 :], *records]:
        cells = _trim(cells)
        if len(cells) > len(headers):
            raise StatementFormatError(
                f"Line {line} has {len(cells)} columns, but the header row has only {len(headers)}."
            )
        rows.append((line, cells + [""] * (len(headers) - len(cells))))
        if len(rows) > MAX_ROWS:
            raise StatementFormatError(
                f"This file has more than {MAX_ROWS:,} transactions. Export a shorter period."
            )
    if not rows:
        raise StatementFormatError("This file has column names but no transactions.")
    return CsvTable(headers=headers, rows=rows, delimiter=delimiter, encoding=encoding)


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, the usual export of
    European banks; charset-normalizer guesses what none of these can decode."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data:
        raise StatementFormatError(NOT_CSV)
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    guess = from_bytes(data).best()
    if guess is None:
        raise StatementFormatError(NOT_CSV)
    return guess.encoding


def detect_delimiter(text: str) -> str:
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = None
    if delimiter is not None:
        return delimiter
    # no delimiter is used alike on every line (lines above the header differ):
    # take the one that gives most lines their most common number of columns
    lines = sample.splitlines()
    return max(DELIMITERS, key=lambda d: _columns_on_most_lines(lines, d))


def _columns_on_most_lines(lines: list[str], delimiter: str) -> int:
    counts = Counter(line.count(delimiter) for line in lines)
    counts.pop(0, None)
    return counts.most_common(1)[0][0] + 1 if counts else 0


def _header_index(head: list[list[str]]) -> int | None:
    """The first row of two or more cells, mostly filled, that most rows below it fit under."""
    widths = [len(cells) for cells in head]
    for index, cells in enumerate(head):
        width, below = widths[index], widths[index + 1 :]
        filled = sum(1 for cell in cells if cell)
        fitting = sum(1 for w in below if w <= width)
        if width >= 2 and filled * 2 > width and fitting * 2 >= len(below):
            return index
    return None


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line number each starts on, cells stripped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if any(cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error:
        raise StatementFormatError(f"Line {line} cannot be read as CSV (check its quotes).") from None


def _trim(cells: list[str]) -> list[str]:
    """Without the empty cells a trailing delimiter leaves at the end of a row."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _unique_names(cells: list[str]) -> list[str]:
    names: list[str] = []
    for number, cell in enumerate(cells, 1):
        base = collapse_whitespace(cell) or f"Column {number}"
        name, copy = base, 2
        while name in names:
            name, copy = f"{base} ({copy})", copy + 1
        names.append(name)
    return names
