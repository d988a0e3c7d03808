"""The client page's account: its credit, latest payments and account statement
(mixed into ClientDetailState). Reads go through AuthState._run as PAYMENTS_READ."""

from datetime import date, timedelta
from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money, quantize_money
from billing_app.queries.clients import client_currencies
from billing_app.queries.payments import client_credit, client_statement, payments_page
from billing_app.services.payments import refund_credit
from billing_app.ui.states.account_views import (
    credit_text,
    record_payment_href,
    statement_entry_view,
)
from billing_app.ui.states.date_filters import checked_date, day
from billing_app.ui.states.form_values import dialog_errors, form_text, typed_numbers
from billing_app.ui.states.document_links import statement_pdf_href
from billing_app.ui.states.payments import payment_row_view

LATEST_PAYMENTS = 20  # the payment list cannot filter by client yet, so no "All payments" link
STATEMENT_DAYS = 365  # the statement opens a year back; earlier entries sum into the opening balance
STATEMENT_DATES = ("statement_from", "statement_to")


class ClientAccount(rx.State, mixin=True):
    can_read_payments: bool = False
    can_take_payments: bool = False
    client_credit_label: str = ""
    latest_payments: list[dict[str, str]] = []
    payments_count: int = 0
    record_href: str = ""
    credit_amounts: dict[str, str] = {}  # currency -> the client's credit in it, as "40.00"
    credit_refund_open: bool = False
    credit_refund_errors: dict[str, str] = {}  # currency, amount, reason, form

    statement_currencies: list[str] = []
    statement_currency: str = ""
    statement_from: str = ""
    statement_to: str = ""
    statement_errors: dict[str, str] = {}
    statement_summary: dict[str, str] = {}  # opening and closing balance
    statement_rows: list[dict[str, str]] = []
    statement_pdf_href: str = ""  # the statement shown, as a PDF download
    statement_export_query: str = ""  # ... and its options for the CSV and XLSX exports

    def _start_account(self) -> None:
        self.can_read_payments = can(self.user_role, Action.PAYMENTS_READ)
        self.can_take_payments = can(self.user_role, Action.PAYMENTS_WRITE)
        self.statement_currency, self.statement_to, self.statement_errors = "", "", {}
        self.statement_from = (self._today() - timedelta(days=STATEMENT_DAYS)).isoformat()
        self.latest_payments, self.statement_rows, self.statement_summary = [], [], {}
        self.record_href = record_payment_href(self._client_id)

    def _load_account(self):
        """Client credit, the latest payments and the currencies a statement can be in."""
        if not self.can_read_payments:
            return None
        client_id = self._client_id

        def read(db, actor):
            page = payments_page(db, actor=actor, client_id=client_id, limit=LATEST_PAYMENTS)
            return client_credit(db, client_id), page, client_currencies(db, client_id)

        result, error = self._run(Action.PAYMENTS_READ, read)
        if error:
            return rx.toast.error(error.message)
        credit, page, currencies = result
        self.client_credit_label = credit_text(credit)
        self.credit_amounts = {currency: str(quantize_money(amount, currency))
                               for currency, amount in credit.items()}
        self.latest_payments = [payment_row_view(row) for row in page.rows]
        self.payments_count = page.total
        self.statement_currencies = currencies
        self.statement_currency = self.statement_currency if self.statement_currency in currencies else currencies[0]
        return self._load_statement()

    def _load_statement(self):
        client_id, currency = self._client_id, self.statement_currency
        date_from, date_to = day(self.statement_from), day(self.statement_to)
        statement, error = self._run(Action.PAYMENTS_READ, lambda db, actor: client_statement(
            db, actor=actor, client_id=client_id, currency=currency, date_from=date_from, date_to=date_to))
        if error:
            return rx.toast.error(error.message)
        self.statement_summary = {"opening": format_money(statement.opening_balance, currency),
                                  "closing": format_money(statement.closing_balance, currency)}
        self.statement_rows = [statement_entry_view(entry, currency) for entry in statement.entries]
        self.statement_pdf_href = statement_pdf_href(client_id, date_from or date.min,
                                                     date_to or self._today(), currency)
        self.statement_export_query = "?" + urlencode(
            {key: value for key, value in (("client", client_id), ("currency", currency),
                                           ("from", self.statement_from), ("to", self.statement_to)) if value})
        return None

    @rx.event
    def set_statement_currency(self, value: str):
        if value not in self.statement_currencies:
            return None
        self.statement_currency = value
        return self._load_statement()

    @rx.event
    def set_statement_date(self, name: str, value: str):
        """From or To of the statement; a date that is no date is explained and not applied."""
        if name not in STATEMENT_DATES:
            return None
        value, self.statement_errors = checked_date(str(value).strip()[:10], name,
                                                    self.statement_errors)
        if value is None:
            return None
        setattr(self, name, value)
        return self._load_statement()

    # --- refunding the client's credit -----------------------------------------------------
    @rx.var
    def credit_currencies(self) -> list[str]:
        return sorted(self.credit_amounts)

    @rx.var
    def credit_refund_default(self) -> str:
        """The amount field's starting text: all the credit in the first currency."""
        return self.credit_amounts[min(self.credit_amounts)] if self.credit_amounts else ""

    @rx.event
    def set_credit_refund_open(self, value: bool):
        self.credit_refund_open, self.credit_refund_errors = value is True, {}

    @rx.event
    def refund_credit(self, form: dict):
        """Refund once: a second click finds the dialog closed by the first and does nothing."""
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
        if not self.credit_refund_open:
            return None
        client_id = self._client_id
        data = {"currency": form_text(form, "currency") or None,
                "amount": form_text(form, "amount").strip(), "reason": form_text(form, "reason")}
        made, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: refund_credit(
            db, actor=actor, client_id=client_id, data=typed_numbers(db, data, "amount")))
        if error:
            self.credit_refund_errors = dialog_errors(error, data)
            return None
        self.credit_refund_open = False
        return self._load_account() or rx.toast.success(
            f"Refunded {format_money(made.amount, made.currency)} of credit.")
