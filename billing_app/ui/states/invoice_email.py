"""The invoice page's email part: "Send invoice" (a dialog with recipients, subject, message),
"Mark as sent" (for post), and the emails sent for this invoice. Every handler runs as the
signed-in user through AuthState._run, so hiding a button is never the only check."""

import re

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.models.messaging import EmailOutbox, OutboxStatus, outbox_status_label
from billing_app.queries.company import company_today
from billing_app.queries.emails import emails_page
from billing_app.services.invoices.sending import (
    invoice_email_draft,
    invoice_mark_sent,
    invoice_send,
)
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.invoice_detail import InvoiceDetailState
from billing_app.ui.states.invoice_documents import InvoiceDocumentsState

EMAILS_SHOWN = 50
SEND_FIELDS = ("recipients", "subject", "message")  # the dialog shows these errors by their field
EMAIL_STATUS_LABELS = {status.value: status.label for status in OutboxStatus}


def email_view(email: EmailOutbox, invoice_number: str | None = None) -> dict[str, str]:
    """An outbox row as the browser shows it (also used by the email log)."""
    status = str(email.status)
    return {
        "id": str(email.id), "to": email.to_address, "subject": email.subject,
        "status": status, "status_label": outbox_status_label(status),
        "attempts": str(email.attempts), "error": email.last_error or "",
        "at": (email.sent_at or email.created_at).strftime("%Y-%m-%d %H:%M UTC"),
        "kind": email.kind.replace("_", " "),
        "invoice": invoice_number or "", "invoice_href": f"/invoices/{email.invoice_id}"
        if email.invoice_id else "",
        "payment_href": f"/payments/{email.payment_id}" if email.payment_id else "",
    }


def extra_addresses(text: str) -> list[str]:
    """Addresses typed into one field, separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


class InvoiceEmailState(AuthState):
    email_rows: list[dict[str, str]] = []
    can_read_emails: bool = False
    can_send: bool = False
    can_mark: bool = False
    send_open: bool = False
    send_error: str = ""
    send_field_errors: dict[str, str] = {}
    recipients: list[dict[str, str]] = []  # {"address", "label", "primary": "yes"/""}
    subject: str = ""
    message: str = ""

    def _invoice_id(self) -> int:
        return path_id(self.router.url.path, "/invoices") or 0

    @rx.event
    def load_emails(self):
        self.can_read_emails = can(self.user_role, Action.EMAILS_READ)
        self.can_send = can(self.user_role, Action.EMAILS_SEND)
        self.can_mark = can(self.user_role, Action.INVOICES_WRITE)
        self.send_open = False
        self._reload()

    def _reload(self) -> None:
        invoice_id = self._invoice_id()

        page, error = self._run(Action.EMAILS_READ, lambda db, actor: emails_page(
            db, actor=actor, invoice_id=invoice_id, limit=EMAILS_SHOWN))
        self.email_rows = [] if error else [email_view(row.email, row.invoice_number)
                                            for row in page.rows]

    @rx.event
    def refresh_emails(self):
        """The worker sends after the page asked: its outcome moves the invoice's status too."""
        self._reload()
        return InvoiceDetailState.load

    @rx.event
    def open_send(self):
        invoice_id = self._invoice_id()
        draft, error = self._run(Action.EMAILS_SEND, lambda db, actor: invoice_email_draft(
            db, actor=actor, invoice_id=invoice_id))
        if error:
            return rx.toast.error(error.message)
        self.recipients = [{"address": r.address, "label": r.label, "primary": "yes" if r.primary else ""}
                           for r in draft.recipients]
        self.subject, self.message = draft.subject, draft.message
        self.send_error, self.send_field_errors = "", {}
        self.send_open = True
        return None

    @rx.event
    def set_send_open(self, open: bool):
        self.send_open = open

    @rx.event
    def send(self, form: dict):
        chosen = [r["address"] for i, r in enumerate(self.recipients) if form.get(f"recipient-{i}")]
        recipients = chosen + extra_addresses(form.get("send-extra", ""))
        invoice_id = self._invoice_id()
        emails, error = self._run(Action.EMAILS_SEND, lambda db, actor: len(invoice_send(
            db, actor=actor, invoice_id=invoice_id, recipients=recipients,
            subject=form.get("send-subject", ""), message=form.get("send-message", ""),
            today=company_today(db))))
        if error:
            shown_by_field = error.field in SEND_FIELDS
            self.send_field_errors = {error.field: error.message} if shown_by_field else {}
            self.send_error = "" if shown_by_field else error.message
            return None
        self.send_open = False
        self._reload()
        noun = "email" if emails == 1 else "emails"
        return [rx.toast.success(f"Invoice queued for sending: {emails} {noun}."),
                InvoiceDetailState.load, InvoiceDocumentsState.load_documents]

    @rx.event
    def mark_sent(self):
        invoice_id = self._invoice_id()
        _, error = self._run(Action.INVOICES_WRITE, lambda db, actor: invoice_mark_sent(
            db, actor=actor, invoice_id=invoice_id))
        if error:
            return rx.toast.error(error.message)
        self._reload()
        return [rx.toast.success("Invoice marked as sent."), InvoiceDetailState.load]
