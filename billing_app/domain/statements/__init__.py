"""Bank statement files (camt.053 XML, bank CSV exports) read into statements and lines.

Pure parsing: nothing here touches the database. Every refusal is a StatementFormatError
whose message a clerk can act on.
"""

from billing_app.domain.statements.camt053 import parse_camt053
from billing_app.domain.statements.csv_import import parse_csv
from billing_app.domain.statements.csv_mapping import CsvMapping, guess_mapping
from billing_app.domain.statements.csv_table import CsvPreview, csv_preview
from billing_app.domain.statements.records import (
    MAX_FILE_BYTES,
    ParsedStatement,
    StatementFormatError,
    StatementLine,
    line_fingerprints,
)

__all__ = [
    "MAX_FILE_BYTES",
    "CsvMapping",
    "CsvPreview",
    "ParsedStatement",
    "StatementFormatError",
    "StatementLine",
    "csv_preview",
    "guess_mapping",
    "line_fingerprints",
    "parse_camt053",
    "parse_csv",
]
