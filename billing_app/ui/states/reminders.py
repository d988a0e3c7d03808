"""Reminders on the invoice and client pages: what was sent and what comes next, and pausing
them with a reason. Reads need INVOICES_READ (CLIENTS_READ on the client page); pausing needs
INVOICES_WRITE or CLIENTS_WRITE, checked again by the services."""

from datetime import date

import reflex as rx
from sqlmodel import Session

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money
from billing_app.errors import NotFound
from billing_app.models.clients import Client
from billing_app.models.messaging import outbox_status_label
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.queries.reminders import InvoiceReminders, invoice_reminders
from billing_app.services.reminders import client_reminders_pause, invoice_reminders_pause
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.form_values import form_text, outcome_toast


def _sent_rows(view: InvoiceReminders) -> list[dict[str, str]]:
    return [{"level": row.level_name, "at": row.sent_at.strftime("%Y-%m-%d %H:%M UTC"),
             "fee": format_money(row.fee, view.currency) if row.fee else "",
             "email": outbox_status_label(row.email_status)}
            for row in view.sent]


class InvoiceRemindersState(AuthState):
    reminder_rows: list[dict[str, str]] = []
    next_reminder: str = ""
    reminders_paused: str = ""  # the reason, on the invoice or its client
    client_paused: bool = False
    can_pause_reminders: bool = False
    reminders_shown: bool = False

    def _invoice_id(self) -> int:
        return path_id(self.router.url.path, "/invoices") or 0

    def _read(self, db: Session, actor: User) -> tuple[InvoiceReminders, date]:
        today = company_today(db)
        return invoice_reminders(db, actor=actor, invoice_id=self._invoice_id(),
                                 today=today), today

    @rx.event
    def load_reminders(self):
        self.can_pause_reminders = can(self.user_role, Action.INVOICES_WRITE)
        result, error = self._run(Action.INVOICES_READ, self._read)
        self.reminders_shown = error is None
        if error:
            self.reminder_rows, self.next_reminder, self.reminders_paused = [], "", ""
            return
        view, today = result
        self.reminder_rows = _sent_rows(view)
        self.next_reminder = "" if view.next is None else (
            f"{view.next.level_name} on {view.next.on.isoformat()}"
            + (" (due: the next run, within 15 minutes, sends it)" if view.next.on <= today else ""))
        self.reminders_paused = view.paused_reason or ""
        self.client_paused = view.client_paused

    def _pause(self, reason: str | None, done: str):
        _, error = self._run(Action.INVOICES_WRITE, lambda db, actor: invoice_reminders_pause(
            db, actor=actor, invoice_id=self._invoice_id(), reason=reason))
        if not error:
            self.load_reminders()
        return outcome_toast(error, done)

    @rx.event
    def pause_reminders(self, form: dict):
        return self._pause(form_text(form, "reason"), "Reminders paused for this invoice.")

    @rx.event
    def resume_reminders(self):
        return self._pause(None, "Reminders resumed for this invoice.")


class ClientRemindersState(AuthState):
    client_reminders_paused: str = ""
    can_pause_client_reminders: bool = False

    def _client_id(self) -> int:
        return path_id(self.router.url.path, "/clients") or 0

    @rx.event
    def load_client_reminders(self):
        self.can_pause_client_reminders = can(self.user_role, Action.CLIENTS_WRITE)

        def read(db: Session, actor: User) -> str:
            client = db.get(Client, self._client_id())
            if client is None:
                raise NotFound("That client does not exist.")
            return client.reminders_pause_reason or ""

        reason, error = self._run(Action.CLIENTS_READ, read)
        self.client_reminders_paused = "" if error else reason

    def _pause(self, reason: str | None, done: str):
        _, error = self._run(Action.CLIENTS_WRITE, lambda db, actor: client_reminders_pause(
            db, actor=actor, client_id=self._client_id(), reason=reason))
        if not error:
            self.load_client_reminders()
        return outcome_toast(error, done)

    @rx.event
    def pause_client_reminders(self, form: dict):
        return self._pause(form_text(form, "reason"), "Reminders paused for all of this "
                                                      "client's invoices.")

    @rx.event
    def resume_client_reminders(self):
        return self._pause(None, "Reminders resumed for this client.")
