"""Bank: the imported statements, the way to import one and to the matches waiting for review."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.tables import data_table, pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.bank_statements import BankStatementsState as S
from billing_app.ui.states.bank_statements import review_href

COUNTS = ("Lines", "New", "Open", "Matched")


def _toolbar() -> rx.Component:
    waiting = rx.badge(S.waiting.to_string() + " waiting", color_scheme=rx.cond(S.waiting > 0, "amber", "gray"),
                       variant="solid", radius="full", size="1")
    return rx.hstack(
        rx.text("Statements from your bank, and the payments in them matched to invoices.",
                color_scheme="gray", size="2"),
        rx.spacer(),
        link_button(rx.fragment("Review matches ", waiting), review_href(), icon="list-checks", variant="soft"),
        rx.cond(S.can_write, link_button("Import statement", routes.BANK_IMPORT.route, icon="upload")),
        align="center",
        spacing="3",
        width="100%",
    )


def _row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["imported"], white_space="nowrap"),
        rx.table.row_header_cell(rx.vstack(
            rx.text(row["file"], weight="medium"),
            rx.cond(row["imported_by"] != "", rx.text("by ", row["imported_by"], size="1", color_scheme="gray")),
            spacing="0",
        )),
        rx.table.cell(row["account"], font_family="monospace", white_space="nowrap"),
        rx.table.cell(row["lines"], text_align="right"),
        rx.table.cell(row["new"], text_align="right"),
        rx.table.cell(
            rx.cond(row["open"] != "0",
                    rx.link(row["open"], href=row["review_href"], aria_label="Review the open lines of " + row["file"]),
                    "0"),
            text_align="right",
        ),
        rx.table.cell(row["matched"], text_align="right"),
        align="center",
    )


@private_page(routes.BANK, on_load=[S.load])
def bank_page() -> rx.Component:
    headers = ["Imported", "File", "Account", *[rx.box(count, text_align="right") for count in COUNTS]]
    return rx.vstack(
        _toolbar(),
        data_table(headers, S.rows, _row, empty_text="No statements imported yet.", loading=S.loading),
        pager(S.page_label, S.has_previous, S.has_next, S.previous_page, S.next_page),
        spacing="4",
        width="100%",
    )
