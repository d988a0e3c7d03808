import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.reports import list_export_buttons
from billing_app.ui.components.tables import data_table, pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.audit import AuditState


def _row(entry: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(entry["at"]),
        rx.table.cell(entry["actor"]),
        rx.table.cell(rx.code(entry["action"])),
        rx.table.cell(entry["entity"]),
        rx.table.cell(rx.text(entry["details"], size="1", color_scheme="gray")),
    )


@private_page(routes.AUDIT, on_load=[AuditState.load])
def audit_page() -> rx.Component:
    return rx.vstack(
        list_export_buttons("audit"),
        data_table(["When", "Who", "Action", "Record", "Details"], AuditState.rows, _row,
                   empty_text="Nothing has been recorded yet.", loading=AuditState.loading),
        pager(AuditState.page_label, AuditState.has_previous, AuditState.has_next,
              AuditState.previous_page, AuditState.next_page),
        spacing="4",
        width="100%",
    )
