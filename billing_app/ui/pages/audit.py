"""The audit log: who did what to which record, in words, filtered and paged on the server."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.filters import date_range, filter_choice, filter_row, search_toolbar
from billing_app.ui.components.reports import list_export_buttons
from billing_app.ui.components.tables import data_table, pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.audit import AuditState

S = AuditState


def _filters() -> rx.Component:
    return rx.vstack(
        search_toolbar("Record", "audit-record", "Record id or invoice number", S.search, S.set_search),
        filter_row(
            filter_choice("Who", "audit-who", S.who_options, S.who, S.set_who, "180px"),
            filter_choice("Action", "audit-action", S.action_options, S.action, S.set_action, "240px"),
            filter_choice("Record type", "audit-type", S.type_options, S.record_type, S.set_record_type,
                          "200px"),
            *date_range(S, "audit", "From", "To"),
            rx.spacer(), list_export_buttons("audit"),
        ),
        spacing="3",
        width="100%",
    )


def _row(entry: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(entry["at"], white_space="nowrap"),
        rx.table.cell(entry["actor"]),
        rx.table.row_header_cell(rx.text(entry["action"], title=entry["code"])),
        rx.table.cell(rx.cond(entry["href"] != "", rx.link(entry["record"], href=entry["href"]),
                              rx.text(entry["record"]))),
        rx.table.cell(rx.text(entry["details"], size="1", color_scheme="gray", white_space="pre-line",
                              max_width="36em", overflow_wrap="anywhere")),
    )


@private_page(routes.AUDIT, on_load=[S.load])
def audit_page() -> rx.Component:
    return rx.vstack(
        _filters(),
        data_table(["When (UTC)", "Who", "Action", "Record", "Changes and details"], S.rows, _row,
                   empty_text="No entries match these filters.", loading=S.loading),
        pager(S.page_label, S.has_previous, S.has_next, S.previous_page, S.next_page),
        spacing="4",
        width="100%",
    )
