"""Reversed and returned statement lines on the review page (mixed into BankReviewState): what
each undoes in plain words, and the writer's decision (PAYMENTS_WRITE checked on the server)."""

import dataclasses

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.models.reversals import ReversalKind
from billing_app.queries.reversals import ReversalItem, reversals_waiting
from billing_app.services.banking import reversal_accept, reversal_dismiss
from billing_app.ui import routes
from billing_app.ui.states.form_values import outcome_toast
from billing_app.ui.states.links import href

ACTIONS = {  # kind -> (button, what was done)
    ReversalKind.PAYMENT_RETURNED.value: ("Mark payment returned",
                                          "Payment marked returned; its invoices are open again."),
    ReversalKind.REFUND_UNDONE.value: ("Undo refund",
                                       "Refund undone; the money is the client's credit again."),
    ReversalKind.SET_ASIDE.value: ("Set aside", "Set aside with its explanation."),
}


@dataclasses.dataclass
class ReversalLine:
    proposal_id: str = ""
    date: str = ""
    amount: str = ""
    party: str = ""
    reference: str = ""
    explanation: str = ""
    action: str = ""  # the button's words
    payment_href: str = ""  # the payment it takes back, "" for none
    can_dismiss: bool = False  # something would be undone: "Not this" leaves it alone


def reversal_line(item: ReversalItem) -> ReversalLine:
    return ReversalLine(
        proposal_id=str(item.proposal_id), date=item.booking_date.isoformat(),
        amount=format_money(item.amount, item.currency), party=item.counterparty_name,
        reference=item.reference, explanation=item.explanation, action=ACTIONS[item.kind][0],
        payment_href=href(routes.PAYMENT, payment_id=item.payment_id) if item.payment_id else "",
        can_dismiss=item.kind != ReversalKind.SET_ASIDE.value)


class ReversalReview(rx.State, mixin=True):
    reversals: list[ReversalLine] = []
    _reversal_kinds: dict[str, str] = {}  # proposal id -> kind, of the lines shown

    def _load_reversals(self, db, actor, statement_id: int | None) -> None:
        """Within a read of the page (AuthState._run)."""
        items = reversals_waiting(db, actor=actor, statement_id=statement_id)
        self.reversals = [reversal_line(item) for item in items]
        self._reversal_kinds = {str(item.proposal_id): item.kind for item in items}

    def _reversal_decision(self, proposal_id: str, decide, done: str):
        """Only a proposal this page shows: a second click, after the first took it off the
        list, does nothing."""
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
        if proposal_id not in self._reversal_kinds:
            return None
        _, error = self._run(Action.PAYMENTS_WRITE,
                             lambda db, actor: decide(db, actor=actor, proposal_id=int(proposal_id)))
        return self._reload() or outcome_toast(error, done)

    @rx.event
    def accept_reversal(self, proposal_id: str):
        kind = self._reversal_kinds.get(proposal_id, "")
        return self._reversal_decision(proposal_id, reversal_accept, ACTIONS.get(kind, ("", ""))[1])

    @rx.event
    def dismiss_reversal(self, proposal_id: str):
        return self._reversal_decision(proposal_id, reversal_dismiss,
                                       "Left as it is; the line is set aside.")
