"""The audit log: one page of entries in words, filtered by who, action, record and date.

The filters live in the URL (who, action, type, q, from, to), so a record's history can be
linked to as /admin/audit?type=invoice&q=INV-2026-00012, and the export follows them."""

from typing import ClassVar

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.queries.audit import SYSTEM, AuditFilter, audit_choices, audit_page, record_names
from billing_app.ui.states.audit_text import (
    action_label,
    detail_lines,
    record_href,
    record_label,
    record_type_label,
)
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.date_filters import day
from billing_app.ui.states.form_values import positive_int
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.url_filters import UrlFilters, choice

ANYONE = [{"id": "", "label": "Anyone"}, {"id": str(SYSTEM), "label": "System"}]
ANY_ACTION = [{"id": "", "label": "Any action"}]
ANY_RECORD = [{"id": "", "label": "Any record"}]


def _ids(options: list[dict[str, str]]) -> set[str]:
    return {option["id"] for option in options}


class AuditState(UrlFilters, AuthState):
    read_action: ClassVar[Action] = Action.AUDIT_READ
    write_action: ClassVar[Action] = Action.AUDIT_READ
    page_size: int = 50

    who: str = ""  # a user's id, "0" for the system, "" for everyone
    action: str = ""
    record_type: str = ""
    who_options: list[dict[str, str]] = ANYONE
    action_options: list[dict[str, str]] = ANY_ACTION
    type_options: list[dict[str, str]] = ANY_RECORD

    def _filter(self) -> AuditFilter:
        who = positive_int(self.who) if self.who != str(SYSTEM) else SYSTEM
        return AuditFilter(actor_id=who, action=self.action, entity_type=self.record_type,
                           record=self.search, date_from=day(self.date_from), date_to=day(self.date_to))

    def _read_page(self, db, actor):
        rows, total = audit_page(db, actor=actor, filters=self._filter(), offset=self.offset,
                                 limit=self.page_size)
        names = record_names(db, rows)
        return [
            {
                "id": str(row.id),
                "at": row.at.strftime("%Y-%m-%d %H:%M:%S"),
                "actor": row.actor,
                "action": action_label(row.action),
                "code": row.action,
                "record": record_label(row.entity_type, row.entity_id,
                                       names.get((row.entity_type, row.entity_id or ""))),
                "href": record_href(row.entity_type, row.entity_id),
                "details": "\n".join(detail_lines(row.details)),
            }
            for row in rows
        ], total

    def _own_params(self) -> dict[str, str]:
        return {"who": self.who, "action": self.action, "type": self.record_type}

    def _take_params(self, params) -> None:
        choices, error = self._run(self.read_action, lambda db, actor: audit_choices(db, actor=actor))
        if error is None:
            self.who_options = ANYONE + [{"id": str(user_id), "label": name} for user_id, name in choices.users]
            self.action_options = ANY_ACTION + [{"id": a, "label": action_label(a)} for a in choices.actions]
            self.type_options = ANY_RECORD + [{"id": t, "label": record_type_label(t)}
                                              for t in choices.entity_types]
        self.who = choice(params.get("who"), _ids(self.who_options))
        self.action = choice(params.get("action"), _ids(self.action_options))
        self.record_type = choice(params.get("type"), _ids(self.type_options))

    @rx.event
    @in_thread
    def set_who(self, value: str):
        self.who = choice(value, _ids(self.who_options))
        yield from self._refilter()

    @rx.event
    @in_thread
    def set_action(self, value: str):
        self.action = choice(value, _ids(self.action_options))
        yield from self._refilter()

    @rx.event
    @in_thread
    def set_record_type(self, value: str):
        self.record_type = choice(value, _ids(self.type_options))
        yield from self._refilter()
