"""Recording a payment: who paid, how much, and how much of it settles which open invoice.

The form is read on the server as it is typed, so the allocation follows the amount and the
summary (allocated, and what stays as client credit) follows every change (the allocation
editor: ui/states/allocation_editor.py); payment_record checks it all again when it is saved.
"""

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money
from billing_app.errors import BillingError
from billing_app.models.payments import PaymentMethod
from billing_app.queries.clients import client_detail
from billing_app.queries.invoices import invoice_detail
from billing_app.queries.payments import OpenInvoice, open_invoices
from billing_app.services.payments import payment_record
from billing_app.ui import routes
from billing_app.ui.states.allocation_editor import AllocationEditor, allocation_row, typed_amount
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.client_choice import (
    MAX_TEXT,
    client_option,
    client_options,
    picked_client,
)
from billing_app.ui.states.form_values import positive_int
from billing_app.ui.states.links import href

PAYMENT_FIELDS = {"payment_date", "amount", "currency", "method", "reference", "notes"}


class PaymentNewState(AllocationEditor, AuthState):
    loaded: bool = False
    client_text: str = ""
    client_ref: str = ""  # the chosen client's id
    client_options: list[str] = []
    payment_date: str = ""
    amount: str = ""
    currency: str = ""
    method: str = PaymentMethod.BANK_TRANSFER.value
    reference: str = ""
    notes: str = ""
    field_errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False
    _all_open: list[OpenInvoice] = []  # the client's open invoices in every currency
    _first_invoice: int = 0  # ?invoice=<id>: listed first, so the amount goes there first
    _recorded: int = 0  # the payment this form made, so a second click records nothing

    # --- loading ---------------------------------------------------------------------------
    @rx.event
    def load(self):
        self._reset_form()
        if not can(self.user_role, Action.PAYMENTS_WRITE):
            return None  # the guard is sending this user away
        options, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: client_options(db, actor))
        if error:
            return rx.toast.error(error.message)
        self.client_options = options
        params = self.router.url.query_parameters
        invoice_id, client_id = positive_int(params.get("invoice")), positive_int(params.get("client"))
        if invoice_id:
            self._preselect_invoice(invoice_id)
        elif client_id:
            self._choose_client(client_id)
        self.loaded = True
        return None

    def _reset_form(self) -> None:
        self.loaded = self.saving = False
        self.client_text = self.client_ref = self.amount = self.currency = ""
        self.reference = self.notes = self.form_error = ""
        self.method = PaymentMethod.BANK_TRANSFER.value
        self.payment_date = self._today().isoformat()
        self.client_options, self._all_open, self._first_invoice = [], [], 0
        self._share_amount(None)
        self._show_allocation_rows([], "")
        self.field_errors = {}
        self._recorded = 0

    def _choose_client(self, client_id: int, currency: str = "") -> None:
        def read(db, actor):
            client = client_detail(db, actor=actor, client_id=client_id).client
            return client, open_invoices(db, actor=actor, client_id=client_id)

        result, error = self._run(Action.PAYMENTS_WRITE, read)
        if error:
            self.field_errors = {"client_id": error.message}
            return
        client, self._all_open = result
        self.client_text = client_option(client.id, client.name)
        self.client_ref = str(client.id)
        self.currency = currency or client.currency
        self.field_errors = {}
        self._show_open_invoices()

    def _preselect_invoice(self, invoice_id: int) -> None:
        """?invoice=<id>: its client, its currency, and its whole balance on it, listed first."""
        detail, error = self._run(Action.PAYMENTS_WRITE,
                                  lambda db, actor: invoice_detail(db, actor=actor, invoice_id=invoice_id))
        if error:
            self.form_error = error.message
            return
        invoice = detail.invoice
        self._first_invoice = invoice.id
        self._choose_client(invoice.client_id, invoice.currency)
        chosen = [row for row in self.allocation_rows if row.invoice_id == str(invoice.id)]
        if not chosen:
            self.form_error = (f"{invoice.number or 'That invoice'} has nothing left to pay; "
                               "a payment recorded here stays as client credit.")
            return
        self.amount = chosen[0].balance_value
        self._share_amount(typed_amount(self.amount))

    def _show_open_invoices(self) -> None:
        """The open invoices in the payment's currency, the oldest due first (the invoice the form
        was opened from before them), sharing the amount."""
        currency = self.currency.strip().upper()
        rows = [row for row in self._all_open if row.currency == currency]
        rows.sort(key=lambda row: row.id != self._first_invoice)  # stable: due dates stay in order
        self._show_allocation_rows([allocation_row(row) for row in rows], currency)

    # --- editing ---------------------------------------------------------------------------
    @rx.event
    def set_client_text(self, value: str):
        self.client_text = str(value)[:MAX_TEXT]
        picked = picked_client(self.client_text)
        if picked is not None:
            self._choose_client(picked)
            return
        self.client_ref = ""
        self._all_open = []
        self._show_allocation_rows([], "")
        search = self.client_text
        options, error = self._run(Action.PAYMENTS_WRITE,
                                   lambda db, actor: client_options(db, actor, search))
        if error is None:
            self.client_options = options

    @rx.event
    def set_field(self, name: str, value: str):
        if name not in PAYMENT_FIELDS:
            return
        setattr(self, name, str(value)[:5000])
        self.field_errors = {key: text for key, text in self.field_errors.items() if key != name}
        if name == "currency":
            self._show_open_invoices()
        elif name == "amount":
            self._share_amount(typed_amount(self.amount))

    # --- saving ----------------------------------------------------------------------------
    def _plain_words(self, error: BillingError) -> str:
        """The message for a field left empty, whose parser's own words would puzzle a clerk."""
        if error.field == "client_id" and not self.client_ref:
            return "Choose a client from the list."
        if error.field == "payment_date" and not self.payment_date.strip():
            return "Enter the date the money arrived, like 2026-01-31."
        return error.message

    def _show_error(self, error: BillingError) -> None:
        """Put the message next to the field it names: an invoice's row, a payment field, or
        else above the buttons."""
        if self._show_allocation_problem(error):
            return
        if (error.field or "") in PAYMENT_FIELDS | {"client_id"}:
            self.field_errors = {error.field: self._plain_words(error)}
        else:
            self.form_error = error.message

    @rx.event
    def record(self):
        if self._recorded:
            yield rx.redirect(href(routes.PAYMENT, payment_id=self._recorded))
            return
        self.form_error = ""
        self._clear_allocation_problems()
        self.field_errors = {}
        data = {
            "client_id": self.client_ref or None,
            "payment_date": self.payment_date.strip() or None,
            "amount": self.amount,
            "currency": self.currency.strip().upper() or None,
            "method": self.method,
            "reference": self.reference,
            "notes": self.notes,
            "allocations": self._allocation_wishes(),
        }
        self.saving = True
        yield
        payment, error = self._run(Action.PAYMENTS_WRITE,
                                   lambda db, actor: payment_record(db, actor=actor, data=data))
        self.saving = False
        if error:
            self._show_error(error)
            return
        self._recorded = payment.id
        yield [rx.redirect(href(routes.PAYMENT, payment_id=payment.id)),
               rx.toast.success(f"Payment of {format_money(payment.amount, payment.currency)} recorded.")]
