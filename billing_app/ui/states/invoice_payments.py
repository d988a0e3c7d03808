"""The invoice page's money: its payments and credit notes, the client's credit, and the
"Apply client credit" and "Issue credit note" actions (mixed into InvoiceDetailState).

Every handler goes through AuthState._run, and the services check the role again.
"""

from datetime import date

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.invoice_status import OPEN_STATUSES, PAID
from billing_app.domain.money import format_money
from billing_app.models.invoices import Invoice
from billing_app.queries.payments import client_credit, credit_notes, invoice_payments
from billing_app.services.payments import credit_apply, credit_note_issue
from billing_app.ui.states.account_views import (
    allocation_view,
    credit_note_view,
    record_payment_href,
)
from billing_app.ui.states.form_values import field_errors, form_fields

NOTE_FIELDS = ("amount", "reason", "issue_date")
OPEN = {status.value for status in OPEN_STATUSES}


class InvoicePayments(rx.State, mixin=True):
    can_read_payments: bool = False  # staff, or a client user on its own invoice
    is_staff_reader: bool = False  # may open the payments themselves and see client credit
    can_take_payments: bool = False
    payable: bool = False  # open with a balance: payments and client credit can go on it
    creditable: bool = False  # open or paid: a credit note can lower it
    record_href: str = ""
    payment_rows: list[dict[str, str]] = []
    credit_note_rows: list[dict[str, str]] = []
    available_credit: str = ""  # the client's credit in the invoice's currency; "" when none

    note_open: bool = False
    note_today: str = ""
    note_error: str = ""
    note_field_errors: dict[str, str] = {}

    def _load_permissions(self) -> None:
        self.is_staff_reader = can(self.user_role, Action.PAYMENTS_READ)
        self.can_read_payments = self.is_staff_reader or can(self.user_role, Action.OWN_INVOICES_READ)
        self.can_take_payments = can(self.user_role, Action.PAYMENTS_WRITE)
        self.note_open = False

    def _reload_money(self, invoice: Invoice | None) -> None:
        """Payments, credit notes and client credit of the invoice just read (None: none)."""
        self.payment_rows, self.credit_note_rows, self.available_credit = [], [], ""
        status = str(invoice.status) if invoice else ""
        self.payable = status in OPEN and invoice.balance_due > 0
        self.creditable = status in OPEN or status == PAID
        self.record_href = record_payment_href(invoice.client_id, invoice.id) if invoice else ""
        if not self.can_read_payments or not invoice or invoice.number is None:
            return
        invoice_id, client_id, currency = invoice.id, invoice.client_id, invoice.currency

        staff = self.is_staff_reader

        def read(db, actor):
            return (invoice_payments(db, actor=actor, invoice_id=invoice_id),
                    credit_notes(db, actor=actor, invoice_id=invoice_id),
                    client_credit(db, client_id).get(currency) if staff else None)

        result, error = self._run(self._read_action(), read)
        if error:
            return
        payments, notes, credit = result
        self.payment_rows = [allocation_view(row, link=staff) for row in payments]
        self.credit_note_rows = [credit_note_view(row) for row in notes]
        self.available_credit = format_money(credit, currency) if credit else ""

    @rx.event
    def apply_client_credit(self):
        invoice_id = self.shown_id
        applied, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: sum(
            row.amount for row in credit_apply(db, actor=actor, invoice_id=invoice_id)))
        if error:
            return rx.toast.error(error.message)
        self._reload()
        return rx.toast.success(f"Applied {format_money(applied, self.header['currency'])} of client credit.")

    @rx.event
    def set_note_open(self, value: bool):
        self.note_open = value is True
        self.note_today = date.today().isoformat()
        self.note_error = ""
        self.note_field_errors = {}

    @rx.event
    def issue_credit_note(self, form: dict):
        data = form_fields(form, "credit-note-", NOTE_FIELDS)
        data["issue_date"] = data["issue_date"] or None
        invoice_id = self.shown_id
        number, error = self._run(Action.INVOICES_WRITE, lambda db, actor: credit_note_issue(
            db, actor=actor, invoice_id=invoice_id, data=data).number)
        if error:
            self.note_field_errors = field_errors(error)
            self.note_error = "" if error.field in NOTE_FIELDS else error.message
            return None
        self.note_open = False
        self._reload()
        return rx.toast.success(f"Credit note {number} issued.")
