"""Reminders on the invoice page (sent, next, pause) and the client page (pause for all its
invoices). Filled by the states' load handlers, which the pages run on load."""

import reflex as rx

from billing_app.ui.components.forms import field
from billing_app.ui.components.tables import data_table
from billing_app.ui.states.reminders import ClientRemindersState as C
from billing_app.ui.states.reminders import InvoiceRemindersState as S


def _pause_controls(prefix: str, paused_reason, can_write, on_pause, on_resume,
                    whose: str) -> rx.Component:
    """The pause reason when paused (with Resume), else a reason input and Pause."""
    paused = rx.callout.root(
        rx.callout.icon(rx.icon("circle-pause")),
        rx.hstack(
            rx.callout.text("Reminders paused: " + paused_reason),
            rx.cond(can_write, rx.button("Resume reminders", size="1", on_click=on_resume)),
            align="center", spacing="3", wrap="wrap",
        ),
        color_scheme="orange", width="100%",
    )
    form = rx.form(
        rx.hstack(
            field("Reason for pausing reminders", rx.input(
                id=prefix + "pause-reason", name="reason", placeholder="e.g. disputed",
                width="100%"), html_for=prefix + "pause-reason"),
            rx.button(f"Pause reminders {whose}", type="submit", variant="soft"),
            align="end", spacing="3", width="100%",
        ),
        on_submit=on_pause, reset_on_submit=True, no_validate=True, width="100%",
    )
    return rx.cond(paused_reason != "", paused, rx.cond(can_write, form))


def _sent_row(row: dict) -> rx.Component:
    return rx.table.row(rx.table.row_header_cell(row["level"]), rx.table.cell(row["at"]),
                        rx.table.cell(row["fee"], text_align="right"), rx.table.cell(row["email"]))


def invoice_reminders() -> rx.Component:
    return rx.cond(
        S.reminders_shown,
        rx.vstack(
            rx.heading("Reminders", size="4", as_="h2"),
            data_table(["Level", "Sent", "Late fee", "Email"], S.reminder_rows, _sent_row,
                       empty_text="No reminder has been sent."),
            rx.text(rx.cond(S.next_reminder != "", "Next reminder: " + S.next_reminder,
                            "No further reminder is scheduled."), size="2"),
            rx.cond(S.client_paused,
                    rx.callout("Reminders are paused for this client: " + S.reminders_paused,
                               icon="circle-pause", color_scheme="orange", width="100%"),
                    _pause_controls("invoice-", S.reminders_paused, S.can_pause_reminders,
                                    S.pause_reminders, S.resume_reminders, "for this invoice")),
            spacing="3", width="100%",
        ),
    )


def client_reminders() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Reminders", size="4", as_="h2"),
            rx.text("While paused, none of this client's invoices gets a reminder.", size="2",
                    color_scheme="gray"),
            _pause_controls("client-", C.client_reminders_paused, C.can_pause_client_reminders,
                            C.pause_client_reminders, C.resume_client_reminders,
                            "for this client"),
            rx.cond(~C.can_pause_client_reminders & (C.client_reminders_paused == ""),
                    rx.text("Reminders are on.", size="2")),
            spacing="3", width="100%",
        ),
        width="100%",
    )
