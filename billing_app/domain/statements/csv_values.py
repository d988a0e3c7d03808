"""Dates and amounts as bank CSV exports write them; the style is decided for a whole column.

A single date ("03/04/2024") or amount ("1,234") can be read two ways; the rest of the
column usually settles it ("13/04/2024", "1.234,56").
"""

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from billing_app.domain.statements.records import StatementFormatError

AUTO = "auto"
# the order settles ties: a column that fits both is read day first
DATE_FORMATS = (
    "%Y-%m-%d", "%Y%m%d", "%Y/%m/%d",
    "%d.%m.%Y", "%d.%m.%y", "%d-%m-%Y",
    "%d/%m/%Y", "%d/%m/%y", "%m/%d/%Y", "%m/%d/%y",
)  # fmt: skip
TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}|[A-Z]{3}$")  # "EUR 12,00", "12,00 EUR"
MINUS_SIGNS = ("-", "\u2212", "\u2013")  # hyphen, minus sign, en dash (spreadsheets)
MONEY_IN, MONEY_OUT = ("Bij", "C", "Credit", "CRDT", "H", "Haben"), ("Af", "D", "Debit", "DBIT", "S", "Soll")
DIRECTIONS = {word.casefold(): sign for words, sign in ((MONEY_IN, 1), (MONEY_OUT, -1)) for word in words}

Cells = Sequence[tuple[int, str]]  # (line number, text) of one column


def parse_dates(cells: Cells, date_format: str) -> list[date]:
    """Every cell as a date, with one format for the column: the given one, or on "auto" the
    first of DATE_FORMATS that reads them all."""
    texts = [TIME_OF_DAY.sub("", text) if date_format == AUTO else text for _, text in cells]
    formats = DATE_FORMATS if date_format == AUTO else (date_format,)
    for candidate in formats:
        dates = _column_as_dates(texts, candidate)
        if dates is not None:
            return dates
    # none reads them all: name the first cell the format that reads most of them cannot read
    best = max(formats, key=lambda f: sum(1 for t in texts if _as_date(t, f)))
    line, text = next((line, text) for (line, text), t in zip(cells, texts, strict=True) if not _as_date(t, best))
    if not text:
        raise StatementFormatError(f"Line {line}: the date is empty.")
    raise StatementFormatError(f'Line {line}: the date "{text}" is not a date.')


def _column_as_dates(texts: list[str], date_format: str) -> list[date] | None:
    """All texts read with one format, or None at the first it cannot read (banks repeat dates: read each once)."""
    known: dict[str, date | None] = {}
    dates = []
    for text in texts:
        if text not in known:
            known[text] = _as_date(text, date_format)
        if known[text] is None:
            return None
        dates.append(known[text])
    return dates


def _as_date(text: str, date_format: str) -> date | None:
    try:
        return datetime.strptime(text, date_format).date()
    except ValueError:
        return None


def decide_decimal_separator(texts: Sequence[str]) -> str | None:
    """The decimal mark ("." or ",") the first telling amount shows; None if none does."""
    for text in texts:
        separator = _decimal_mark_shown(_strip_amount(text)[1])
        if separator:
            return separator
    return None


def _decimal_mark_shown(number: str) -> str | None:
    """The decimal mark of 1.234,56, 1,234,567, 12,5 or 0,125; None for 1,234 or 1.234 alone."""
    if "." in number and "," in number:
        return "." if number.rfind(".") > number.rfind(",") else ","
    for mark, other in ((".", ","), (",", ".")):
        if number.count(mark) > 1:
            return other
        if number.count(mark) == 1:
            before, after = number.split(mark)
            if len(after) != 3 or before in ("", "0") or len(before) > 3:
                return mark
    return None


def parse_amount(text: str, decimal_separator: str | None, line: int) -> Decimal | None:
    """The signed amount in a cell, None if it is empty. Currency symbols and codes, spaces and
    thousands separators are dropped; "-12.00", "12.00-" and "(12.00)" are negative.
    With no decimal separator decided, a lone separator before three digits groups thousands."""
    if not text:
        return None
    negative, number = _strip_amount(text)
    pattern, group = _number_pattern(decimal_separator)
    if not pattern.fullmatch(number):
        raise StatementFormatError(f'Line {line}: the amount "{text}" is not a number.')
    amount = Decimal(group.sub("", number).replace(",", "."))
    return -amount if negative and amount else amount


@cache
def _number_pattern(decimal_separator: str | None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(an amount: digits, grouped by three or not, and a decimal part; the grouping characters)."""
    group = "['" + re.escape({".": ",", ",": "."}.get(decimal_separator or "", ".,")) + "]"
    whole = rf"(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)"
    if decimal_separator:
        mark = re.escape(decimal_separator)
        return re.compile(rf"{whole}(?:{mark}\d+)?|{mark}\d+"), re.compile(group)
    return re.compile(whole), re.compile(group)


def _strip_amount(text: str) -> tuple[bool, str]:
    """(negative, the digits and separators) of "€ -1.234,56", "(12.00)", "12.00-", "+5", "12,00 EUR"."""
    cleaned = "".join(text.split()).replace("$", "")
    if not cleaned.isascii():  # currency symbols other than $ are not ASCII
        cleaned = "".join(c for c in cleaned if unicodedata.category(c) != "Sc")
    cleaned = CURRENCY_CODE.sub("", cleaned)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    if cleaned[:1] in ("+", *MINUS_SIGNS):
        negative, cleaned = negative or cleaned[0] != "+", cleaned[1:]
    elif cleaned[-1:] in ("+", *MINUS_SIGNS):
        negative, cleaned = negative or cleaned[-1] != "+", cleaned[:-1]
    return negative, cleaned


def apply_direction(amount: Decimal, text: str, line: int) -> Decimal:
    """The unsigned amount signed by the direction cell: money in (Bij, C, Credit, CRDT, H)
    or money out (Af, D, Debit, DBIT, S), in any case."""
    sign = DIRECTIONS.get(text.strip().casefold())
    if sign is None:
        said = f'"{text}"' if text.strip() else "nothing"
        raise StatementFormatError(
            f"Line {line}: the direction column says {said}; write money in as {', '.join(MONEY_IN)} "
            f"or money out as {', '.join(MONEY_OUT)}.", field="direction")
    return -abs(amount) if sign < 0 and amount else abs(amount)
