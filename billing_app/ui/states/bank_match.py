"""The "Change…" dialog of the review queue: the accountant's own reading of a payment
received, as a client and how much of the money goes to which of its open invoices."""

from decimal import Decimal

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.domain.money import format_money, parse_money
from billing_app.models.banking import LineStatus, ProposalStatus
from billing_app.queries.banking import line_detail
from billing_app.queries.clients import client_detail
from billing_app.queries.invoices import invoices_page
from billing_app.services.banking import line_match_manually
from billing_app.ui import routes
from billing_app.ui.states.client_choice import (
    MAX_TEXT,
    client_option,
    client_options,
    picked_client,
)
from billing_app.ui.states.form_values import positive_int
from billing_app.ui.states.links import href

MAX_OPEN_INVOICES = 200


def _typed_amount(text: str) -> Decimal:
    """What a row's amount box holds; 0 while it is blank or not yet an amount."""
    try:
        return parse_money(text)
    except ValueError:
        return Decimal(0)


class ManualMatch(rx.State, mixin=True):
    """Mixed into the review state (an AuthState), which reloads its list through _reload."""

    match_open: bool = False
    match_line: dict[str, str] = {}  # the payment: id, date, amount, payer, reference
    match_client_text: str = ""
    match_client_options: list[str] = []
    match_invoices: list[dict[str, str]] = []  # the client's open invoices in the payment's currency
    match_error: str = ""
    _match_line_id: int = 0
    _match_client: int = 0
    _match_amount: Decimal = Decimal(0)
    _match_currency: str = ""
    _proposed: dict[int, dict[int, Decimal]] = {}  # client id -> invoice id -> amount proposed

    @rx.event
    def open_match(self, line_id: str):
        chosen = positive_int(line_id)
        if chosen is None:
            return None
        detail, error = self._run(Action.PAYMENTS_WRITE,
                                  lambda db, actor: line_detail(db, actor=actor, line_id=chosen))
        if error:
            return rx.toast.error(error.message)
        line = detail.line
        if line.status == LineStatus.MATCHED or line.amount <= 0:
            return rx.toast.error("A payment was already recorded from this line.")
        self._match_line_id, self._match_amount, self._match_currency = line.id, line.amount, line.currency
        self.match_line = {
            "date": line.booking_date.isoformat(),
            "amount": format_money(line.amount, line.currency),
            "payer": ", ".join(part for part in (line.counterparty_name, line.counterparty_iban) if part),
            "reference": line.reference,
        }
        waiting = [p for p in detail.proposals if p.status == ProposalStatus.PROPOSED]
        self._proposed = {p.client_id: {part.invoice_id: part.amount for part in p.invoices} for p in waiting}
        self.match_error, self.match_client_options = "", []
        self._match_client, self.match_client_text, self.match_invoices = 0, "", []
        if waiting:
            self._pick_client(waiting[0].client_id)
        self.match_open = True
        return None

    @rx.event
    def set_match_open(self, value: bool):
        self.match_open = value is True

    def _pick_client(self, client_id: int) -> None:
        """The client and its open invoices, with what the waiting proposal put on them."""
        currency = self._match_currency

        def read(db, actor):
            client = client_detail(db, actor=actor, client_id=client_id).client
            page = invoices_page(db, actor=actor, client_id=client_id, status=list(OPEN_STATUSES),
                                 sort="due_date", limit=MAX_OPEN_INVOICES, totals=False)
            return client, [row for row in page.rows if row.currency == currency and row.balance_due > 0]

        found, error = self._run(Action.PAYMENTS_WRITE, read)
        if error:
            self.match_error = error.message
            return
        client, rows = found
        proposed = self._proposed.get(client.id, {})
        self._match_client, self.match_client_text = client.id, client_option(client.id, client.name)
        self.match_invoices = [{
            "id": str(row.id),
            "number": row.number or "",
            "href": href(routes.INVOICE, invoice_id=row.id),
            "due_date": row.due_date.isoformat(),
            "balance": format_money(row.balance_due, currency),
            "apply": f"{proposed[row.id]:f}" if row.id in proposed else "",
        } for row in rows]
        self.match_error = ""

    @rx.event
    def set_match_client(self, text: str):
        self.match_client_text = str(text)[:MAX_TEXT]
        picked = picked_client(self.match_client_text)
        if picked is not None:
            self._pick_client(picked)
            return
        self._match_client, self.match_invoices = 0, []
        search = self.match_client_text
        options, error = self._run(Action.PAYMENTS_WRITE,
                                   lambda db, actor: client_options(db, actor, search))
        if error is None:
            self.match_client_options = options

    @rx.event
    def set_match_amount(self, index: int, value: str):
        if isinstance(index, int) and 0 <= index < len(self.match_invoices):
            rows = list(self.match_invoices)
            rows[index] = {**rows[index], "apply": str(value)[:30]}
            self.match_invoices = rows
            self.match_error = ""

    @rx.var
    def match_summary(self) -> str:
        """On the invoices so far, and what is left as the client's credit."""
        if not self._match_currency:
            return ""
        applied = sum((_typed_amount(row["apply"]) for row in self.match_invoices), Decimal(0))
        left, currency = self._match_amount - applied, self._match_currency
        if left < 0:
            return (f"The amounts are {format_money(-left, currency)} more than the payment of "
                    f"{format_money(self._match_amount, currency)}.")
        return (f"On invoices {format_money(applied, currency)} · "
                f"left as the client's credit {format_money(left, currency)}")

    @rx.event
    def save_match(self, form: dict):
        if not self._match_client:
            self.match_error = "Choose the client who paid from the list."
            return None
        allocations = []
        for row in self.match_invoices:
            if row["apply"].strip():
                try:
                    amount = parse_money(row["apply"])
                except ValueError as problem:
                    self.match_error = f"{row['number']}: {problem}"
                    return None
                allocations.append({"invoice_id": row["id"], "amount": f"{amount:f}"})
        line_id, client_id = self._match_line_id, self._match_client
        payment, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: line_match_manually(
            db, actor=actor, line_id=line_id, client_id=client_id, allocations=allocations))
        if error:
            self.match_error = error.message
            return None
        self.match_open = False
        client = self.match_client_text.rsplit(" (#", 1)[0]
        return self._reload() or rx.toast.success(
            f"Payment of {format_money(payment.amount, payment.currency)} recorded for {client}.")
