"""The "Reminders" tab of Settings: the company's time zone and the reminder levels. Every
handler checks SETTINGS_MANAGE on the server."""

import reflex as rx
from sqlmodel import Session

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.models.reminders import FeeKind, ReminderLevel
from billing_app.models.users import User
from billing_app.queries.company import company_settings
from billing_app.queries.reminders import reminder_levels_list
from billing_app.services.reminders import (
    company_time_zone_set,
    reminder_level_create,
    reminder_level_delete,
    reminder_level_update,
)
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.form_values import field_errors, form_fields, form_text, positive_int, typed_numbers

LEVEL_PREFIX = "level-"
LEVEL_FIELDS = ("days", "name", "template_key", "fee_kind", "fee_value")
BLANK_LEVEL = {"days": "", "name": "", "template_key": "reminder", "fee_kind": "",
               "fee_value": ""}


def _when(days: int) -> str:
    if days == 0:
        return "On the due date"
    return f"{abs(days)} day{'s' * (abs(days) != 1)} {'before' if days < 0 else 'after'} due"


def _fee(level: ReminderLevel, currency: str) -> str:
    if level.fee_kind == FeeKind.PERCENT:
        return f"{level.fee_value.normalize():f}% of the amount due"
    if level.fee_kind == FeeKind.FIXED:
        return f"{format_money(level.fee_value, currency)} (in the invoice's currency)"
    return "No fee"


def _row(level: ReminderLevel, currency: str) -> dict[str, str]:
    return {"id": str(level.id), "when": _when(level.days), "name": level.name,
            "template_key": level.template_key, "fee": _fee(level, currency)}


def _form_values(level: ReminderLevel) -> dict[str, str]:
    return {"days": str(level.days), "name": level.name, "template_key": level.template_key,
            "fee_kind": level.fee_kind or "",
            "fee_value": "" if level.fee_value is None else f"{level.fee_value.normalize():f}"}


class ReminderSettingsState(AuthState):
    reminders_loaded: bool = False
    time_zone: str = ""
    time_zone_error: str = ""
    levels: list[dict[str, str]] = []
    level_open: bool = False
    level_form: dict[str, str] = BLANK_LEVEL
    level_errors: dict[str, str] = {}
    level_error: str = ""
    _editing: int | None = None

    def _read(self, db: Session, actor: User) -> tuple[str, list[dict[str, str]]]:
        company = company_settings(db, actor=actor)
        return company.time_zone, [_row(level, company.default_currency)
                                   for level in reminder_levels_list(db, actor=actor)]

    def _refresh(self):
        result, error = self._run(Action.SETTINGS_MANAGE, self._read)
        if error:
            return rx.toast.error(error.message)
        self.time_zone, self.levels = result
        self.reminders_loaded = True
        return None

    @rx.event
    def load_reminders(self):
        self.level_open, self.time_zone_error = False, ""
        return self._refresh()

    @rx.event
    def save_time_zone(self, form: dict):
        zone = form_text(form, "time_zone")
        _, error = self._run(Action.SETTINGS_MANAGE, lambda db, actor: company_time_zone_set(
            db, actor=actor, time_zone=zone))
        self.time_zone_error = error.message if error else ""
        if error:
            return None
        self._refresh()
        return rx.toast.success(f"Time zone saved: {zone.strip()}.")

    @rx.event
    def new_level(self):
        self._editing, self.level_form = None, BLANK_LEVEL
        self.level_errors, self.level_error, self.level_open = {}, "", True

    @rx.event
    def edit_level(self, level_id: str):
        wanted = positive_int(level_id)

        def read(db: Session, actor: User) -> dict[str, str] | None:
            level = next((level for level in reminder_levels_list(db, actor=actor)
                          if level.id == wanted), None)
            return None if level is None else _form_values(level)

        values, error = self._run(Action.SETTINGS_MANAGE, read)
        if error or values is None:
            return rx.toast.error(error.message if error else "That level does not exist any more.")
        self._editing, self.level_form = wanted, values
        self.level_errors, self.level_error, self.level_open = {}, "", True
        return None

    @rx.event
    def set_level_open(self, value: bool):
        self.level_open = bool(value)

    @rx.event
    def save_level(self, form: dict):
        data = form_fields(form, LEVEL_PREFIX, LEVEL_FIELDS)
        editing = self._editing

        def store(db: Session, actor: User) -> ReminderLevel:
            values = typed_numbers(db, data, "fee_value")
            if editing is None:
                return reminder_level_create(db, actor=actor, data=values)
            return reminder_level_update(db, actor=actor, level_id=editing, data=values)

        _, error = self._run(Action.SETTINGS_MANAGE, store)
        self.level_errors = field_errors(error) if error else {}
        self.level_error = error.message if error and not error.field else ""
        if error:
            self.level_form = data
            return None
        self.level_open = False
        self._refresh()
        return rx.toast.success(f"Reminder level {data['name'].strip()} saved.")

    @rx.event
    def delete_level(self, level_id: str):
        wanted = positive_int(level_id) or 0
        _, error = self._run(Action.SETTINGS_MANAGE, lambda db, actor: reminder_level_delete(
            db, actor=actor, level_id=wanted))
        if error:
            return rx.toast.error(error.message)
        self._refresh()
        return rx.toast.success("Reminder level removed.")
