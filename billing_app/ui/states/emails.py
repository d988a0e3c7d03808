"""The email log: every outbox email with its delivery state, what it said, and "Retry" for a
failed one. Staff read it; retrying needs emails.send, checked on the server."""

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.queries.emails import email_detail, emails_page
from billing_app.services.emails import email_retry
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.document_links import sent_document_href
from billing_app.ui.states.invoice_email import EMAIL_STATUS_LABELS, email_view
from billing_app.ui.states.paging import Paging

STATUS_OPTIONS = [("", "All"), *EMAIL_STATUS_LABELS.items()]


class EmailLogState(Paging, AuthState):
    rows: list[dict[str, str]] = []
    loading: bool = True
    page_size: int = 25
    status: str = ""
    can_retry: bool = False
    shown: dict[str, str] = {}  # the email opened with "View"
    shown_attachments: list[dict[str, str]] = []  # {"filename", "href"}
    view_open: bool = False

    def _reload(self):
        status = self.status

        def read(db, actor):
            return emails_page(db, actor=actor, status=status or None, offset=self.offset,
                               limit=self.page_size)

        page, error = self._run(Action.EMAILS_READ, read)
        self.loading = False
        if error is None:
            self.rows = [email_view(row.email, row.invoice_number) for row in page.rows]
            self.total = page.total

    @rx.event
    def load(self):
        self.offset, self.status, self.view_open = 0, "", False
        self.can_retry = can(self.user_role, Action.EMAILS_SEND)
        self._reload()

    @rx.event
    def set_status(self, value: str):
        self.status = value if value in EMAIL_STATUS_LABELS else ""
        self.offset = 0
        self._reload()

    @rx.event
    def view(self, email_id: str):
        detail, error = self._run(Action.EMAILS_READ, lambda db, actor: email_detail(
            db, actor=actor, email_id=int(email_id)))
        if error:
            return rx.toast.error(error.message)
        self.shown = {**email_view(detail.email, detail.invoice_number),
                      "body_text": detail.email.body_text, "body_html": detail.email.body_html or ""}
        self.shown_attachments = [{"filename": d.filename, "href": sent_document_href(d.id)}
                                  for d in detail.attachments]
        self.view_open = True
        return None

    @rx.event
    def set_view_open(self, open: bool):
        self.view_open = open

    @rx.event
    def retry(self, email_id: str):
        _, error = self._run(Action.EMAILS_SEND, lambda db, actor: email_retry(
            db, actor=actor, email_id=int(email_id)))
        if error:
            return rx.toast.error(error.message)
        self._reload()
        return rx.toast.success("The email is queued again.")
