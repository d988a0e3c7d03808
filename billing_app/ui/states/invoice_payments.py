"""The invoice page's money: its payments and credit notes, the client's credit, and the
"Apply client credit" and "Issue credit note" actions (mixed into InvoiceDetailState).

The credit note dialog credits an amount, or by line ("Credit by line": a quantity per invoice
line, live totals from the service's preview, which works them out with compute_totals).
Every handler goes through AuthState._run, and the services check the role again.
"""

import dataclasses
import re

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.invoice_status import OPEN_STATUSES, PAID
from billing_app.domain.money import format_money
from billing_app.models.invoices import Invoice
from billing_app.queries.payments import client_credit, credit_notes, invoice_payments
from billing_app.queries.credit_notes import creditable_lines
from billing_app.services.payments import credit_apply, credit_note_issue, credit_note_preview
from billing_app.ui.states.account_views import (
    allocation_view,
    credit_note_view,
    record_payment_href,
)
from billing_app.ui.states.form_values import field_errors, form_fields
from billing_app.ui.states.formatting import tax_line_view

NOTE_FIELDS = ("amount", "reason", "issue_date")
OPEN = {status.value for status in OPEN_STATUSES}
BY_AMOUNT, BY_LINE = "Lump sum", "Credit by line"
_LINE_FIELD = re.compile(r"^lines\.(\d+)\.")


@dataclasses.dataclass
class NoteLine:
    """One invoice line in the "Credit by line" table; quantity is what the person typed."""

    id: str = ""
    description: str = ""
    invoiced: str = ""
    credited: str = ""
    quantity: str = ""
    net: str = ""
    error: str = ""


def _quantity_text(value) -> str:
    return f"{value.normalize():f}"


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
    note_mode: str = BY_AMOUNT
    note_lines: list[NoteLine] = []
    note_totals: dict[str, str] = {}  # subtotal, tax_total, total of the lines typed; {} if none
    note_taxes: list[dict[str, str]] = []  # label, amount per rate
    _note_made: str = ""  # the number of the note this opened dialog issued: a 2nd click issues none

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
        self.note_today = self._today().isoformat()
        self.note_error = ""
        self.note_field_errors = {}
        self.note_mode, self.note_lines, self.note_totals, self.note_taxes = BY_AMOUNT, [], {}, []
        if self.note_open:
            self._note_made = ""  # a new form: it may issue one note

    @rx.event
    def set_note_mode(self, mode: str):
        if mode not in (BY_AMOUNT, BY_LINE):
            return
        self.note_mode, self.note_error, self.note_field_errors = mode, "", {}
        if mode == BY_LINE and not self.note_lines:
            invoice_id = self.shown_id
            rows, error = self._run(Action.INVOICES_WRITE, lambda db, actor: [
                NoteLine(id=str(item.line.id), description=item.line.description,
                         invoiced=_quantity_text(item.line.quantity),
                         credited=_quantity_text(item.credited))
                for item in creditable_lines(db, invoice_id)])
            if error:
                self.note_error = error.message
                return
            self.note_lines = rows

    @rx.event
    def set_note_quantity(self, line_id: str, value: str):
        self.note_lines = [dataclasses.replace(row, quantity=str(value)[:30]) if row.id == line_id
                           else row for row in self.note_lines]
        self._preview_note()

    def _typed_lines(self) -> list[dict[str, str]]:
        return [{"invoice_line_id": row.id, "quantity": row.quantity.strip()}
                for row in self.note_lines if row.quantity.strip()]

    def _show_note_error(self, error, sent: list[dict[str, str]]) -> None:
        """The message next to its line's quantity, or the reason, date or the whole form."""
        row = _LINE_FIELD.match(error.field or "")
        line_id = sent[int(row.group(1))]["invoice_line_id"] if row and int(row.group(1)) < len(sent) else ""
        message = "Quantity to credit: " + error.message.split(": ", 1)[-1]
        self.note_lines = [dataclasses.replace(r, error=message if r.id == line_id else "", net="")
                           for r in self.note_lines]
        self.note_field_errors = field_errors(error) if error.field in NOTE_FIELDS else {}
        self.note_error = "" if line_id or error.field in NOTE_FIELDS else error.message

    def _preview_note(self) -> None:
        """Totals of the quantities typed so far, or the message of the first one that is wrong."""
        sent, invoice_id, currency = self._typed_lines(), self.shown_id, self.header["currency"]
        self.note_totals, self.note_taxes, self.note_error = {}, [], ""
        self.note_lines = [dataclasses.replace(row, error="", net="") for row in self.note_lines]
        if not sent:
            return

        def preview(db, actor):
            by_lines = credit_note_preview(db, actor=actor, invoice_id=invoice_id, lines=sent)
            totals = by_lines.totals
            return ({str(line.id): format_money(amounts.net, currency)
                     for (line, _), amounts in zip(by_lines.lines, totals.lines)},
                    {name: format_money(getattr(totals, name), currency)
                     for name in ("taxable", "tax_total", "total")},
                    [tax_line_view(tax, currency) for tax in totals.taxes])

        result, error = self._run(Action.INVOICES_WRITE, preview)
        if error:
            self._show_note_error(error, sent)
            return
        nets, self.note_totals, self.note_taxes = result
        self.note_lines = [dataclasses.replace(row, net=nets.get(row.id, "")) for row in self.note_lines]

    @rx.event
    def issue_credit_note(self, form: dict):
        if self._note_made:  # a double click: the note is issued already
            return None
        data = form_fields(form, "credit-note-", NOTE_FIELDS)
        data["issue_date"] = data["issue_date"] or None
        sent = []
        if self.note_mode == BY_LINE:
            sent = self._typed_lines()
            data = {**data, "amount": None, "lines": sent}
        invoice_id = self.shown_id
        number, error = self._run(Action.INVOICES_WRITE, lambda db, actor: credit_note_issue(
            db, actor=actor, invoice_id=invoice_id, data=data).number)
        if error:
            self._show_note_error(error, sent)
            return None
        self._note_made = number
        self.note_open = False
        self._reload()
        return rx.toast.success(f"Credit note {number} issued.")
