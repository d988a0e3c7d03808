"""Import a bank statement: upload the file; for a CSV, say which column holds what; the result."""

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from billing_app.ui import routes
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.cards import stat_card
from billing_app.ui.components.file_drop import file_drop
from billing_app.ui.components.forms import field, form_error, native_select
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.bank_import import (
    DATE_FORMAT_OPTIONS,
    DECIMAL_OPTIONS,
    MAX_MB,
    UPLOAD_ID,
    BankImportState,
)

S = BankImportState
STEPS = [("upload", "Upload the file"), ("columns", "Choose the columns"), ("result", "Result")]
FILE_TYPES = {"text/csv": [".csv", ".txt"], "application/xml": [".xml"]}
COLUMNS = [
    ("date", "Date", "The booking date."),
    ("amount", "Amount", "Money in positive, money out negative. Or choose Credit and Debit instead."),
    ("credit", "Credit", "Only when the bank writes money in and out in separate columns."),
    ("debit", "Debit", ""),
    ("direction", "Direction", "Only when the amount has no sign and a column says in or out "
                               "(Bij/Af, C/D, Credit/Debit, CRDT/DBIT)."),
    ("reference", "Reference", "The payment reference, where invoice numbers are looked for."),
    ("counterparty_name", "Counterparty name", "Who paid."),
    ("counterparty_iban", "IBAN", "The payer's account."),
    ("bank_reference", "Bank reference", ""),
    ("currency", "Currency column", "Without one, the lines are in the bank's currency (EUR at first)."),
]


def _steps() -> rx.Component:
    def step(number: int, key: str, label: str) -> rx.Component:
        current = S.step == key
        return rx.el.li(
            rx.badge(str(number), radius="full", variant=rx.cond(current, "solid", "soft"),
                     color_scheme=rx.cond(current, "indigo", "gray")),
            rx.text(label, size="2", weight=rx.cond(current, "bold", "regular"),
                    color_scheme=rx.cond(current, "indigo", "gray")),
            display="flex",
            align_items="center",
            gap="8px",
            aria_current=rx.cond(current, "step", "false"),
        )

    return rx.el.ol(*[step(number, key, label) for number, (key, label) in enumerate(STEPS, 1)],
                    display="flex", gap="24px", list_style="none", margin="0", padding="0",
                    aria_label="Steps")


def _rejected_size(rejected) -> rx.Var:
    """The size of the file react-dropzone refused; the File itself stays in the browser."""
    first = rejected.to(ArrayVar, list[dict[str, Any]])[0].to(ObjectVar, dict[str, Any])
    return first["file"].to(ObjectVar, dict[str, Any])["size"]


def _card(*children, max_width: str = "100%") -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="4", width="100%"), width="100%", max_width=max_width)


def _buttons(*buttons) -> rx.Component:
    return rx.hstack(*buttons, justify="end", spacing="3", width="100%")


def _upload_step() -> rx.Component:
    return _card(
        rx.heading("Statement file", size="4", as_="h2"),
        rx.text("A camt.053 file is imported at once; for a CSV file you check which column holds what "
                "before anything is imported.", size="2", color_scheme="gray"),
        file_drop(UPLOAD_ID, icon="file-up", prompt="Drop the statement file here, or click to choose one",
                  limits=f"CSV or camt.053 XML, at most {MAX_MB} MB", accept=FILE_TYPES,
                  max_size=MAX_MB * 1024 * 1024,
                  on_drop_rejected=lambda rejected: S.file_rejected(_rejected_size(rejected)),
                  error=S.upload_error, aria_label="Statement file"),
        _buttons(
            rx.link(rx.button("Cancel", variant="soft", color_scheme="gray"), href=routes.BANK.route),
            rx.button(rx.icon("upload", size=16), "Upload statement", loading=S.reading,
                      disabled=rx.selected_files(UPLOAD_ID).length() == 0,
                      on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID))),
        ),
        max_width="720px",
    )


def _bank_field() -> rx.Component:
    return field(
        "Bank",
        rx.fragment(
            rx.input(id="bank-name", value=S.bank, on_change=S.set_bank, width="100%", max_length=100,
                     placeholder="Choose a saved bank or type a new one", custom_attrs={"list": "bank-names"},
                     auto_complete="off"),
            rx.el.datalist(rx.foreach(S.bank_names, lambda name: rx.el.option(value=name)), id="bank-names"),
        ),
        html_for="bank-name",
        hint="A saved bank fills in its columns; a new name remembers these columns for its next file.",
        error=S.errors.get("bank_profile", ""),
    )


def _preview() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.foreach(S.headers, lambda name: rx.table.column_header_cell(name, white_space="nowrap")))),
            rx.table.body(rx.foreach(S.preview, lambda row: rx.table.row(
                rx.foreach(row, lambda cell: rx.table.cell(cell, white_space="nowrap"))))),
            variant="surface",
            size="1",
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
        aria_label="First rows of the file",
    )


def _column_select(name: str, label: str, hint: str) -> rx.Component:
    html_id = f"bank-column-{name.replace('_', '-')}"
    control = rx.el.select(
        rx.el.option("Choose a column…" if name == "date" else "None", value=""),
        rx.foreach(S.headers, lambda header: rx.el.option(header, value=header)),
        id=html_id, value=S.mapping[name], on_change=lambda value: S.set_column(name, value),
        class_name="native-select",
    )
    return field(label, control, html_for=html_id, hint=hint, error=S.errors.get(name, ""))


def _option_select(name: str, label: str, options: list[tuple[str, str]]) -> rx.Component:
    html_id = f"bank-{name.replace('_', '-')}"
    control = native_select(html_id, html_id, options, value=S.mapping[name],
                            on_change=lambda value: S.set_column(name, value))
    return field(label, control, html_for=html_id, error=S.errors.get(name, ""))


def _columns_step() -> rx.Component:
    return _card(
        rx.heading("Columns of ", S.file_name, size="4", as_="h2"),
        rx.text("Check which column holds what. The first rows of the file are shown as they were read.",
                size="2", color_scheme="gray"),
        rx.box(_bank_field(), width="100%", max_width="420px"),
        _preview(),
        rx.grid(
            *[_column_select(*column) for column in COLUMNS],
            _option_select("date_format", "Date format", DATE_FORMAT_OPTIONS),
            _option_select("decimal_separator", "Decimal separator", DECIMAL_OPTIONS),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="4",
            width="100%",
        ),
        form_error(S.errors.get("form", "")),
        _buttons(
            rx.button("Choose another file", variant="soft", color_scheme="gray", on_click=S.start_over),
            rx.button(rx.icon("file-input", size=16), "Import statement", loading=S.reading,
                      on_click=S.import_statement),
        ),
    )


def _result_step() -> rx.Component:
    result = S.result
    return _card(
        rx.heading(S.file_name, size="4", as_="h2"),
        rx.text(result["summary"], size="3", weight="medium", role="status"),
        rx.grid(
            stat_card("Lines read", result["lines"]),
            stat_card("New lines", result["new"]),
            stat_card("Already imported", result["already"]),
            stat_card("Matches proposed", result["proposals"]),
            columns=rx.breakpoints(initial="2", md="4"),
            spacing="3",
            width="100%",
        ),
        rx.text(result["message"], size="2", color_scheme="gray"),
        _buttons(
            rx.button("Import another file", variant="soft", color_scheme="gray", on_click=S.start_over),
            link_button("Review matches", result["review_href"], icon="list-checks"),
        ),
        max_width="720px",
    )


@private_page(routes.BANK_IMPORT, on_load=[S.load])
def bank_import_page() -> rx.Component:
    return rx.vstack(
        _steps(),
        rx.match(S.step, ("columns", _columns_step()), ("result", _result_step()), _upload_step()),
        spacing="4",
        width="100%",
    )
