"""The status machine (pure): which moves are legal, and the status a balance implies."""

from datetime import date
from decimal import Decimal as D

import pytest

from billing_app.domain.invoice_status import (
    CANCELLED,
    DRAFT,
    ISSUED,
    OVERDUE,
    PAID,
    PARTIALLY_PAID,
    SENT,
    TransitionNotAllowed,
    cancel_refusal,
    check_transition,
    status_for_balance,
)
from billing_app.errors import Conflict

LEGAL = [
    (DRAFT, ISSUED), (DRAFT, CANCELLED),
    (ISSUED, SENT), (ISSUED, PARTIALLY_PAID), (ISSUED, PAID), (ISSUED, OVERDUE),
    (ISSUED, CANCELLED),
    (SENT, PARTIALLY_PAID), (SENT, PAID), (SENT, OVERDUE), (SENT, CANCELLED),
    (OVERDUE, PARTIALLY_PAID), (OVERDUE, PAID), (OVERDUE, CANCELLED),
    (PARTIALLY_PAID, PAID), (PARTIALLY_PAID, OVERDUE), (PARTIALLY_PAID, SENT),
    (PARTIALLY_PAID, ISSUED),
    (PAID, PARTIALLY_PAID), (PAID, SENT), (PAID, ISSUED), (PAID, OVERDUE),
]
ALL = [DRAFT, ISSUED, SENT, PARTIALLY_PAID, PAID, OVERDUE, CANCELLED]


@pytest.mark.parametrize(("current", "new"), LEGAL)
def test_legal_moves_pass(current, new):
    check_transition(current, new)
    check_transition(current.value, new.value)  # as read from the database


@pytest.mark.parametrize(("current", "new"),
                         [(a, b) for a in ALL for b in ALL if (a, b) not in LEGAL])
def test_every_other_move_is_refused_with_a_conflict(current, new):
    with pytest.raises(TransitionNotAllowed) as refused:
        check_transition(current, new)
    assert isinstance(refused.value, Conflict)
    assert refused.value.message.endswith(".")


@pytest.mark.parametrize(("current", "new", "message"), [
    (PAID, CANCELLED, "A paid invoice cannot be cancelled; remove its payments first."),
    (PARTIALLY_PAID, CANCELLED,
     "A partially paid invoice cannot be cancelled; remove its payments first."),
    (CANCELLED, SENT, "A cancelled invoice cannot change any more."),
    (DRAFT, PAID, "A draft must be issued before it can be paid."),
    (DRAFT, SENT, "A draft must be issued before it can be sent."),
    (SENT, ISSUED, "A sent invoice cannot become issued."),
    (SENT, DRAFT, "An issued invoice cannot become a draft again."),
    (SENT, SENT, "The invoice is already sent."),
])
def test_refusals_say_why(current, new, message):
    with pytest.raises(TransitionNotAllowed, match=message.replace(".", r"\.")):
        check_transition(current, new)


DUE = date(2026, 3, 31)


@pytest.mark.parametrize(("paid", "credited", "today", "delivered", "expected"), [
    ("0", "0", date(2026, 3, 31), True, SENT),  # due today is not overdue yet
    ("0", "0", date(2026, 3, 31), False, ISSUED),  # not emailed nor marked as sent yet
    ("0", "0", date(2026, 4, 1), True, OVERDUE),
    ("0", "0", date(2026, 4, 1), False, OVERDUE),  # late whether delivered or not
    ("40", "0", date(2026, 3, 1), False, PARTIALLY_PAID),
    ("40", "0", date(2026, 4, 1), True, OVERDUE),  # part paid but late: overdue says more
    ("0", "30", date(2026, 3, 1), True, SENT),  # a credit alone is no payment
    ("70", "30", date(2026, 4, 1), True, PAID),  # settled by payment and credit
    ("120", "0", date(2026, 3, 1), False, PAID),  # overpaid
])
def test_status_for_balance(paid, credited, today, delivered, expected):
    assert status_for_balance(D("100.00"), D(paid), D(credited), DUE, today,
                              delivered=delivered) == expected


@pytest.mark.parametrize(("status", "paid", "fees", "cancellable"), [
    ("draft", "0", "0", True), ("issued", "0", "0", True), ("sent", "0", "0", True),
    ("overdue", "0", "0", True),
    ("overdue", "10.00", "0", False),  # partly paid and past due: the page once offered it
    ("partially_paid", "10.00", "0", False), ("paid", "100.00", "0", False),
    ("overdue", "0", "5.00", False), ("cancelled", "0", "0", False),
])
def test_the_one_cancel_rule(status, paid, fees, cancellable):
    refusal = cancel_refusal(status, D(paid), D(fees))
    assert (refusal is None) == cancellable
    assert refusal is None or len(refusal) > 20
