"""Importing a bank statement in three steps: the file, its columns (CSV only), the result.

The uploaded bytes stay on the server (a backend var) between the steps; the browser only
sees the file's name, its column names and its first rows.
"""

from datetime import date

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.statements import (
    MAX_FILE_BYTES,
    CsvMapping,
    CsvPreview,
    csv_preview,
    guess_mapping,
)
from billing_app.domain.statements.csv_mapping import COLUMN_FIELDS
from billing_app.domain.statements.csv_values import AUTO, DATE_FORMATS
from billing_app.errors import BillingError, ValidationFailed
from billing_app.queries.banking import csv_profiles
from billing_app.services.banking import ImportResult, statement_import
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.bank_statements import review_href

UPLOAD_ID = "bank-statement"
MAX_MB = MAX_FILE_BYTES // (1024 * 1024)
NOT_A_STATEMENT = "Choose a CSV file or a camt.053 XML file exported from your bank."
PREVIEW_ROWS = 5
PREVIEW_CELL = 60  # characters of a preview cell shown
_SAMPLE_DAY = date(2026, 12, 31)
DATE_FORMAT_OPTIONS = [(AUTO, "Recognise automatically"),
                       *[(fmt, f"Like {_SAMPLE_DAY.strftime(fmt)}") for fmt in DATE_FORMATS]]
DECIMAL_OPTIONS = [(AUTO, "Recognise automatically"), (",", "Comma, like 1.234,56"), (".", "Point, like 1,234.56")]
BLANK_MAPPING = {**dict.fromkeys(COLUMN_FIELDS, ""), "date_format": AUTO, "decimal_separator": AUTO}


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _too_big(size: float) -> str:
    return (f"This file is {size / 1024 / 1024:.1f} MB; statements up to {MAX_MB} MB can be imported. "
            "Export a shorter period.")


def _mapping_view(mapping: CsvMapping | None) -> dict[str, str]:
    if mapping is None:
        return dict(BLANK_MAPPING)
    return {name: getattr(mapping, name) or "" for name in BLANK_MAPPING}


def _result_view(result: ImportResult) -> dict[str, str]:
    one_statement = result.statement_ids[0] if len(result.statement_ids) == 1 else None
    return {
        "summary": (f"{_count(result.lines_in_file, 'line', 'lines')} read, {result.new_lines} new, "
                    f"{result.already_imported} already imported, "
                    f"{_count(result.proposals, 'match', 'matches')} proposed."),
        "message": result.message,
        "lines": str(result.lines_in_file),
        "new": str(result.new_lines),
        "already": str(result.already_imported),
        "proposals": str(result.proposals),
        "review_href": review_href(one_statement),
    }


def _import_or_preview(db, actor, file_name: str, data: bytes) -> ImportResult | CsvPreview:
    """statement_import tells the formats apart: a camt.053 file is imported at once, a CSV
    file asks for its columns first (on the "mapping" field), so its first rows come back."""
    try:
        return statement_import(db, actor=actor, file_name=file_name, data=data)
    except ValidationFailed as error:
        if error.field != "mapping":
            raise
    return csv_preview(data, max_rows=PREVIEW_ROWS)


class BankImportState(AuthState):
    step: str = "upload"  # upload -> columns (CSV only) -> result
    reading: bool = False
    file_name: str = ""
    upload_error: str = ""
    headers: list[str] = []
    preview: list[list[str]] = []
    bank: str = ""
    bank_names: list[str] = []
    mapping: dict[str, str] = dict(BLANK_MAPPING)
    errors: dict[str, str] = {}  # field -> message next to it; "form" above the buttons
    result: dict[str, str] = {}
    _data: bytes = b""
    _profiles: dict[str, dict[str, str]] = {}  # lower-case bank name -> its saved mapping

    def _start_over(self) -> None:
        self.step, self.reading = "upload", False
        self.file_name = self.upload_error = self.bank = ""
        self.headers, self.preview = [], []
        self.mapping, self.errors, self.result = dict(BLANK_MAPPING), {}, {}
        self._data = b""

    def _load_profiles(self):
        """The banks whose columns are saved (an import may have saved one since)."""
        profiles, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: csv_profiles(db, actor=actor))
        if error:
            return rx.toast.error(error.message)
        self.bank_names = [profile.name for profile in profiles]
        self._profiles = {profile.name.lower(): _mapping_view(profile.mapping) for profile in profiles}
        return None

    @rx.event
    def load(self):
        self._start_over()
        if not can(self.user_role, Action.PAYMENTS_WRITE):
            return None  # the guard is sending this user away
        return self._load_profiles()

    @rx.event
    def start_over(self):
        self._start_over()
        yield rx.clear_selected_files(UPLOAD_ID)
        yield self._load_profiles()

    # --- step 1: the file ------------------------------------------------------------------
    @rx.event
    def upload(self, files: list[rx.UploadFile]):
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            self.upload_error = refusal.message
            return None
        if not files:
            self.upload_error = NOT_A_STATEMENT
            return None
        upload = files[0]
        if (upload.size or 0) > MAX_FILE_BYTES:
            self.upload_error = _too_big(upload.size)
            return None
        data = upload.file.read(MAX_FILE_BYTES + 1)  # when the size is not known: enough for the parsers to refuse
        name = (upload.filename or "statement")[:255]
        self.reading = True
        yield
        outcome, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: _import_or_preview(db, actor, name, data))
        self.reading = False
        yield rx.clear_selected_files(UPLOAD_ID)
        if error:
            self.upload_error = error.message
            return
        self.file_name, self.upload_error = name, ""
        if isinstance(outcome, ImportResult):
            self._show_result(outcome)
            return
        self._data = data
        self.headers = outcome.headers
        self.preview = [[cell[:PREVIEW_CELL] for cell in row] for row in outcome.rows]
        self._choose_columns()
        self.step = "columns"

    @rx.event
    def file_rejected(self, size):
        """The browser refused the file before sending it: too big, or not a statement's type."""
        if isinstance(size, int | float) and size > MAX_FILE_BYTES:
            self.upload_error = _too_big(size)
        else:
            self.upload_error = NOT_A_STATEMENT

    # --- step 2: the columns of a CSV file -------------------------------------------------
    def _choose_columns(self) -> None:
        """The bank whose saved columns this file has, else a guess from the column names."""
        fitting = [name for name, mapping in self._profiles.items()
                   if all(mapping[field] in self.headers for field in COLUMN_FIELDS if mapping[field])]
        if fitting:
            self.bank = next(name for name in self.bank_names if name.lower() == fitting[0])
            self.mapping = dict(self._profiles[fitting[0]])
        else:
            self.mapping = _mapping_view(guess_mapping(self.headers))
        self.errors = {}

    @rx.event
    def set_bank(self, value: str):
        """A saved bank's columns fill in when its name is chosen; a new name keeps the columns."""
        self.bank = str(value)[:100]
        saved = self._profiles.get(self.bank.strip().lower())
        if saved is not None:
            self.mapping = dict(saved)
        self.errors = {}

    @rx.event
    def set_column(self, name: str, value: str):
        """A column for a field ("" for none), or the date format or decimal separator."""
        choices = {"date_format": [code for code, _ in DATE_FORMAT_OPTIONS],
                   "decimal_separator": [code for code, _ in DECIMAL_OPTIONS]}
        allowed = ["", *self.headers] if name in COLUMN_FIELDS else choices.get(name, [])
        if value not in allowed:
            return
        self.mapping = {**self.mapping, name: value}
        self.errors = {key: text for key, text in self.errors.items() if key not in (name, "form")}

    @rx.event
    def import_statement(self):
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
        if self.step != "columns" or not self._data:
            self._start_over()
            return None
        values, bank, data, name = dict(self.mapping), self.bank.strip(), self._data, self.file_name

        def store(db, actor) -> ImportResult:
            mapping = CsvMapping(**values)
            return statement_import(db, actor=actor, file_name=name, data=data, bank_profile=bank or None,
                                    mapping=mapping)

        self.reading = True
        yield
        result, error = self._run(Action.PAYMENTS_WRITE, store)
        self.reading = False
        if error:
            self._show_errors(error)
            return None
        self._show_result(result)
        return None

    def _show_errors(self, error: BillingError) -> None:
        """Next to the bank's name or the column it is about, else above the buttons."""
        beside = error.field in BLANK_MAPPING or error.field == "bank_profile"
        self.errors = {error.field if beside else "form": error.message}

    # --- step 3: what the import did -------------------------------------------------------
    def _show_result(self, result: ImportResult) -> None:
        self.result = _result_view(result)
        self.step = "result"
        self._data = b""
