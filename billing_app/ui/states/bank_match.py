"""The "Change…" dialog of the review queue: the accountant's own reading of a payment
received, as a client and how much of the money goes to which of its open invoices (the
allocation editor: ui/states/allocation_editor.py)."""

from decimal import Decimal

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.models.banking import LineStatus, ProposalStatus
from billing_app.queries.banking import line_detail
from billing_app.queries.clients import client_detail
from billing_app.queries.payments import open_invoices
from billing_app.services.banking import line_match_manually
from billing_app.ui.states.allocation_editor import AllocationEditor, allocation_row
from billing_app.ui.states.client_choice import (
    MAX_TEXT,
    client_option,
    client_options,
    picked_client,
)
from billing_app.ui.states.form_values import positive_int


class ManualMatch(AllocationEditor, mixin=True):
    """Mixed into the review state (an AuthState), which reloads its list through _reload."""

    match_open: bool = False
    match_line: dict[str, str] = {}  # the payment: id, date, amount, payer, reference
    match_client_text: str = ""
    match_client_options: list[str] = []
    match_error: str = ""
    _match_line_id: int = 0
    _match_client: int = 0
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
        self._match_line_id, self._match_currency = line.id, line.currency
        self._share_amount(line.amount, line.currency)
        self.match_line = {
            "date": line.booking_date.isoformat(),
            "amount": format_money(line.amount, line.currency),
            "payer": ", ".join(part for part in (line.counterparty_name, line.counterparty_iban) if part),
            "reference": line.reference,
        }
        waiting = [p for p in detail.proposals if p.status == ProposalStatus.PROPOSED]
        self._proposed = {p.client_id: {part.invoice_id: part.amount for part in p.invoices} for p in waiting}
        self.match_error, self.match_client_options = "", []
        self._match_client, self.match_client_text = 0, ""
        self._show_allocation_rows([], line.currency)
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
            return client, open_invoices(db, actor=actor, client_id=client_id, currency=currency)

        found, error = self._run(Action.PAYMENTS_WRITE, read)
        if error:
            self.match_error = error.message
            return
        client, rows = found
        proposed = self._proposed.get(client.id, {})
        self._match_client, self.match_client_text = client.id, client_option(client.id, client.name)
        # a waiting proposal's amounts are kept as they are; else the money goes oldest first
        self._show_allocation_rows([allocation_row(row, f"{proposed[row.id]:f}" if row.id in proposed else "")
                                    for row in rows], currency, by_hand=bool(proposed))
        self.match_error = ""

    @rx.event
    def set_match_client(self, text: str):
        self.match_client_text = str(text)[:MAX_TEXT]
        picked = picked_client(self.match_client_text)
        if picked is not None:
            self._pick_client(picked)
            return
        self._match_client = 0
        self._show_allocation_rows([], self._match_currency)
        search = self.match_client_text
        options, error = self._run(Action.PAYMENTS_WRITE,
                                   lambda db, actor: client_options(db, actor, search))
        if error is None:
            self.match_client_options = options

    @rx.event
    def save_match(self, form: dict):
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
        if not self.match_open:  # a second click's submit, after the first recorded the payment
            return None
        if not self._match_client:
            self.match_error = "Choose the client who paid from the list."
            return None
        self._clear_allocation_problems()
        allocations, line_id, client_id = self._allocation_wishes(), self._match_line_id, self._match_client
        payment, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: line_match_manually(
            db, actor=actor, line_id=line_id, client_id=client_id, allocations=allocations))
        if error:
            if not self._show_allocation_problem(error):
                self.match_error = error.message
            return None
        self.match_open = False
        client = self.match_client_text.rsplit(" (#", 1)[0]
        return self._reload() or rx.toast.success(
            f"Payment of {format_money(payment.amount, payment.currency)} recorded for {client}.")
