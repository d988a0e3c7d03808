"""Recording a payment: who paid, how much, and how much of it settles which open invoice.

The form is read on the server as it is typed, so the summary (allocated, and what stays as
client credit) follows every change; payment_record checks it all again when it is saved.
"""

import re
from datetime import date
from decimal import Decimal

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.domain.allocation import oldest_due_first
from billing_app.domain.money import format_money, parse_money, quantize_money
from billing_app.errors import BillingError
from billing_app.models.payments import PaymentMethod
from billing_app.queries.clients import client_detail
from billing_app.queries.invoices import invoice_detail, invoices_page
from billing_app.services.payments import payment_record
from billing_app.ui import routes
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
MAX_OPEN_INVOICES = 200
_ROW_FIELD = re.compile(r"^allocations\.(\d+)(\.|$)")
_ROW_PREFIX = re.compile(r"^Allocations #\d+ (amount|invoice id): ")


def _amount(text: str) -> Decimal | None:
    """The amount typed, or None while it is blank or no amount."""
    try:
        return parse_money(text)
    except ValueError:
        return None


def _money(amount: Decimal, currency: str) -> str:
    try:
        return format_money(amount, currency)
    except ValueError:  # a currency code still being typed
        return f"{amount:,.2f}"


def _open_row(row) -> dict[str, str]:
    return {
        "id": str(row.id),
        "number": row.number or "",
        "href": href(routes.INVOICE, invoice_id=row.id),
        "due_date": row.due_date.isoformat(),
        "currency": row.currency,
        "balance": format_money(row.balance_due, row.currency),
        "balance_value": f"{quantize_money(row.balance_due, row.currency):f}",
        "apply": "",
        "error": "",
    }


class PaymentNewState(AuthState):
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
    open_invoices: list[dict[str, str]] = []  # the client's open invoices in the payment's currency
    field_errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False
    _all_open: list[dict[str, str]] = []  # the client's open invoices in every currency
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
        self.payment_date = date.today().isoformat()
        self.client_options, self.open_invoices, self._all_open = [], [], []
        self.field_errors = {}
        self._recorded = 0

    def _choose_client(self, client_id: int, currency: str = "") -> None:
        def read(db, actor):
            client = client_detail(db, actor=actor, client_id=client_id).client
            page = invoices_page(db, actor=actor, client_id=client_id, status=list(OPEN_STATUSES),
                                 sort="due_date", limit=MAX_OPEN_INVOICES, totals=False)
            return client, [_open_row(row) for row in page.rows if row.balance_due > 0]

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
        self._choose_client(invoice.client_id, invoice.currency)
        rows = self.open_invoices
        chosen = [row for row in rows if row["id"] == str(invoice.id)]
        if not chosen:
            self.form_error = (f"{invoice.number or 'That invoice'} has nothing left to pay; "
                               "a payment recorded here stays as client credit.")
            return
        first = {**chosen[0], "apply": chosen[0]["balance_value"]}
        self.open_invoices = [first, *[row for row in rows if row["id"] != first["id"]]]
        self.amount = first["balance_value"]

    def _show_open_invoices(self) -> None:
        currency = self.currency.strip().upper()
        self.open_invoices = [dict(row) for row in self._all_open if row["currency"] == currency]

    # --- editing ---------------------------------------------------------------------------
    @rx.event
    def set_client_text(self, value: str):
        self.client_text = str(value)[:MAX_TEXT]
        picked = picked_client(self.client_text)
        if picked is not None:
            self._choose_client(picked)
            return
        self.client_ref = ""
        self._all_open, self.open_invoices = [], []
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

    def _set_applied(self, amounts: dict[str, str]) -> None:
        self.open_invoices = [{**row, "apply": amounts.get(row["id"], ""), "error": ""}
                              for row in self.open_invoices]
        self.field_errors = {key: text for key, text in self.field_errors.items() if key != "allocations"}

    @rx.event
    def set_apply(self, index: int, value: str):
        if isinstance(index, int) and 0 <= index < len(self.open_invoices):
            rows = list(self.open_invoices)
            rows[index] = {**rows[index], "apply": str(value)[:30], "error": ""}
            self.open_invoices = rows

    @rx.event
    def allocate_oldest_first(self):
        """Share the amount out over the open invoices, the oldest due date first."""
        left = _amount(self.amount)
        if left is None or left <= 0:
            self.field_errors = {**self.field_errors, "amount": "Enter the amount first; it is shared out from there."}
            return
        shares = oldest_due_first(left, [
            (int(row["id"]), date.fromisoformat(row["due_date"]), Decimal(row["balance_value"]))
            for row in self.open_invoices])
        self._set_applied({str(invoice_id): f"{part:f}" for invoice_id, part in shares})

    @rx.event
    def clear_allocations(self):
        self._set_applied({})

    @rx.var
    def summary(self) -> dict[str, str]:
        """Allocated so far, and what stays on the payment as the client's credit."""
        currency = self.currency.strip().upper()
        allocated = sum((_amount(row["apply"]) or Decimal(0) for row in self.open_invoices), Decimal(0))
        amount = _amount(self.amount)
        unallocated = None if amount is None else amount - allocated
        return {
            "allocated": _money(allocated, currency),
            "unallocated": "—" if unallocated is None else _money(max(unallocated, Decimal(0)), currency),
            "over": "" if unallocated is None or unallocated >= 0 else
                    f"The amounts to apply are {_money(-unallocated, currency)} more than the payment.",
        }

    # --- saving ----------------------------------------------------------------------------
    def _plain_words(self, error: BillingError) -> str:
        """The message for a field left empty, whose parser's own words would puzzle a clerk."""
        if error.field == "client_id" and not self.client_ref:
            return "Choose a client from the list."
        if error.field == "payment_date" and not self.payment_date.strip():
            return "Enter the date the money arrived, like 2026-01-31."
        return error.message

    def _show_error(self, error: BillingError, sent: list[dict[str, str]]) -> None:
        """Put the message next to its field: an invoice's row, a payment field, or the form."""
        field = error.field or ""
        row = _ROW_FIELD.match(field)
        if row and int(row.group(1)) < len(sent):
            invoice_id = sent[int(row.group(1))]["id"]
            message = _ROW_PREFIX.sub("Amount to apply: ", error.message)
            self.open_invoices = [{**r, "error": message if r["id"] == invoice_id else ""}
                                  for r in self.open_invoices]
        elif field in PAYMENT_FIELDS | {"client_id", "allocations"}:
            self.field_errors = {field: self._plain_words(error)}
        else:
            self.form_error = error.message

    @rx.event
    def record(self):
        if self._recorded:
            yield rx.redirect(href(routes.PAYMENT, payment_id=self._recorded))
            return
        self.form_error = ""
        self.open_invoices = [{**row, "error": ""} for row in self.open_invoices]
        self.field_errors = {}
        sent = [row for row in self.open_invoices if row["apply"].strip()]
        data = {
            "client_id": self.client_ref or None,
            "payment_date": self.payment_date.strip() or None,
            "amount": self.amount,
            "currency": self.currency.strip().upper() or None,
            "method": self.method,
            "reference": self.reference,
            "notes": self.notes,
            "allocations": [{"invoice_id": row["id"], "amount": row["apply"].strip()} for row in sent],
        }
        self.saving = True
        yield
        payment, error = self._run(Action.PAYMENTS_WRITE,
                                   lambda db, actor: payment_record(db, actor=actor, data=data))
        self.saving = False
        if error:
            self._show_error(error, sent)
            return
        self._recorded = payment.id
        yield [rx.redirect(href(routes.PAYMENT, payment_id=payment.id)),
               rx.toast.success(f"Payment of {format_money(payment.amount, payment.currency)} recorded.")]
