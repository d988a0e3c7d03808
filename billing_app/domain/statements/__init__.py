"""Bank statement files (camt.053 XML, bank CSV exports) read into statements and lines.

Pure parsing: nothing here touches the database. Every refusal is a StatementFormatError
whose message a clerk can act on.
"""

from billing_app.domain.statements.camt053 import looks_like_xml, parse_camt053
from billing_app.domain.statements.csv_import import parse_csv
from billing_app.domain.statements.csv_mapping import CsvMapping, guess_mapping
from billing_app.domain.statements.csv_table import CsvPreview, csv_preview
from billing_app.domain.statements.records import (
    MAX_FILE_BYTES,
    PAID_OUT,
    ParsedStatement,
    StatementFormatError,
    StatementLine,
    line_fingerprints,
    set_aside_reason,
)

__all__ = [
    "MAX_FILE_BYTES",
    "PAID_OUT",
    "CsvMapping",
    "CsvPreview",
    "ParsedStatement",
    "StatementFormatError",
    "StatementLine",
    "csv_preview",
    "guess_mapping",
    "line_fingerprints",
    "looks_like_xml",
    "parse_camt053",
    "parse_csv",
    "set_aside_reason",
]
