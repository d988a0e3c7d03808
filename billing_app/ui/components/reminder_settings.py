"""The "Reminders" tab of Settings: when the company's day starts, and the reminder levels
with their email template and late fee. The templates themselves are edited with the other
emails' templates (their key is shown here)."""

import reflex as rx

from billing_app.services.reminders.levels import ReminderLevelIn
from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.form_inputs import FormInputs, field_grid
from billing_app.ui.components.forms import field
from billing_app.ui.components.tables import data_table
from billing_app.ui.states.reminder_settings import LEVEL_PREFIX, ReminderSettingsState as S

FEE_OPTIONS = [("", "No fee"), ("fixed", "Fixed amount"), ("percent", "Percent of the amount due")]


def _time_zone() -> rx.Component:
    return rx.form(
        rx.hstack(
            field("Time zone", rx.input(id="reminders-time-zone", name="time_zone",
                                        default_value=S.time_zone, key=S.time_zone,
                                        width="100%"),
                  html_for="reminders-time-zone", error=S.time_zone_error,
                  hint="An IANA name such as Europe/Berlin: the company's midnight starts the "
                       "day for overdue marking and reminders."),
            rx.button("Save time zone", type="submit"),
            align="end", spacing="3", width="100%",
        ),
        on_submit=S.save_time_zone, reset_on_submit=False, no_validate=True, width="100%",
    )


def _level_row(level: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(level["name"]),
        rx.table.cell(level["when"]),
        rx.table.cell(rx.code(level["template_key"])),
        rx.table.cell(level["fee"]),
        rx.table.cell(rx.hstack(
            rx.button("Edit", size="1", variant="soft", aria_label="Edit " + level["name"],
                      on_click=S.edit_level(level["id"])),
            rx.button("Remove", size="1", variant="soft", color_scheme="red",
                      aria_label="Remove " + level["name"], on_click=S.delete_level(level["id"])),
            spacing="2")),
    )


def _level_dialog() -> rx.Component:
    inputs = FormInputs(LEVEL_PREFIX, S.level_form, S.level_errors, shape=ReminderLevelIn)
    return form_dialog(
        "Reminder level",
        rx.vstack(
            field_grid(
                inputs.text("Name", "name", hint="Shown on the invoice page, e.g. First reminder."),
                inputs.text("Days after the due date", "days", input_mode="numeric",
                            hint="Negative for before it: -3 is three days before."),
                inputs.text("Email template", "template_key",
                            hint="reminder, or reminder:<name> for a text of this level's own."),
                inputs.select("Late fee", "fee_kind", FEE_OPTIONS),
                inputs.text("Fee amount or percent", "fee_value", input_mode="decimal",
                            hint="Charged once per invoice when this level goes out."),
            ),
            width="100%",
        ),
        submit_label="Save level", on_submit=S.save_level, error=S.level_error,
        open=S.level_open, on_open_change=S.set_level_open,
    )


def reminder_settings_tab() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Reminders", size="4", as_="h2"),
            rx.text("Every 15 minutes each open invoice gets the latest level whose date has "
                    "come, once; after a pause in sending it gets that one level, not all it "
                    "missed.", size="2", color_scheme="gray"),
            rx.cond(
                S.reminders_loaded,
                rx.vstack(
                    _time_zone(),
                    rx.heading("Levels", size="3", as_="h3"),
                    data_table(["Level", "When", "Email template", "Late fee", "Actions"],
                               S.levels, _level_row, empty_text="No reminders are sent."),
                    rx.button("Add level", on_click=S.new_level),
                    _level_dialog(),
                    spacing="4", width="100%",
                ),
                rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
            ),
            spacing="4", width="100%",
        ),
        width="100%", max_width="920px", on_mount=S.load_reminders,
    )
