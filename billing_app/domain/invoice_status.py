"""The life of an invoice: which status may follow which, and the status its balance implies.

draft -> issued (numbered, amounts fixed) or cancelled (discarded). Issued is not yet
delivered: it becomes sent once emailed or marked as sent by hand, so "sent" tells the truth.
An issued invoice moves between issued or sent, partially_paid, overdue and paid as payments
and credits change its balance and its due date passes; a voided payment may move a paid
invoice back (to sent or issued, whichever its delivery says). Only an invoice with nothing
paid (issued, sent or overdue) can be cancelled; one with payments needs them removed first.
Cancelled is final.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from billing_app.errors import Conflict


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


DRAFT, ISSUED, SENT, PARTIALLY_PAID, PAID, OVERDUE, CANCELLED = InvoiceStatus
OPEN_STATUSES = (ISSUED, SENT, PARTIALLY_PAID, OVERDUE)
"""Issued and not settled: the client owes the balance."""

TRANSITIONS: dict[InvoiceStatus, frozenset[InvoiceStatus]] = {
    DRAFT: frozenset({ISSUED, CANCELLED}),
    ISSUED: frozenset({SENT, PARTIALLY_PAID, PAID, OVERDUE, CANCELLED}),  # sent: delivered
    SENT: frozenset({PARTIALLY_PAID, PAID, OVERDUE, CANCELLED}),
    OVERDUE: frozenset({PARTIALLY_PAID, PAID, CANCELLED}),
    PARTIALLY_PAID: frozenset({PAID, OVERDUE, SENT, ISSUED}),  # its payment was voided
    PAID: frozenset({PARTIALLY_PAID, SENT, ISSUED, OVERDUE}),  # a payment was voided
    CANCELLED: frozenset(),
}


class TransitionNotAllowed(Conflict):
    """The invoice's status cannot change that way."""


def check_transition(current: InvoiceStatus | str, new: InvoiceStatus | str) -> None:
    """Raise TransitionNotAllowed, with a message for the user, unless current -> new is legal."""
    current, new = InvoiceStatus(current), InvoiceStatus(new)
    if new in TRANSITIONS[current]:
        return
    if current == new:
        raise TransitionNotAllowed(f"The invoice is already {new.label}.")
    if current == CANCELLED:
        raise TransitionNotAllowed("A cancelled invoice cannot change any more.")
    if new == CANCELLED:
        raise TransitionNotAllowed(
            f"A {current.label} invoice cannot be cancelled; remove its payments first."
        )
    if current == DRAFT:
        raise TransitionNotAllowed(f"A draft must be issued before it can be {new.label}.")
    if new == DRAFT:
        raise TransitionNotAllowed("An issued invoice cannot become a draft again.")
    raise TransitionNotAllowed(f"A {current.label} invoice cannot become {new.label}.")


def status_for_balance(total: Decimal, paid: Decimal, credited: Decimal, due_date: date,
                       today: date, *, delivered: bool) -> InvoiceStatus:
    """The status of an issued invoice from what was paid and credited against its total.

    Settled (nothing left to pay) is paid; otherwise a passed due date makes it overdue, even
    when part is paid (the more urgent fact); otherwise any payment makes it partially paid.
    Credits alone lower the balance but do not count as a payment. An unpaid invoice not yet
    due is sent once `delivered` (emailed or marked as sent), else issued.
    """
    if total - paid - credited <= 0:
        return PAID
    if due_date < today:
        return OVERDUE
    if paid > 0:
        return PARTIALLY_PAID
    return SENT if delivered else ISSUED


def cancel_refusal(status: InvoiceStatus | str, amount_paid: Decimal, fees: Decimal) -> str | None:
    """Why this invoice cannot be cancelled, or None when it can. The one rule: the page asks
    it to show "Cancel invoice", the service to refuse."""
    try:
        check_transition(status, CANCELLED)
    except TransitionNotAllowed as refusal:
        return refusal.message
    if amount_paid:
        return "An invoice with payments cannot be cancelled; remove its payments first."
    if fees:
        return ("This invoice has late fees charged, which a cancellation would hide; "
                "credit it with a credit note instead.")
    return None

