"""Auto-allocation shares an amount over open invoices, the oldest due date first."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from billing_app.domain.allocation import oldest_due_first

D = Decimal


def test_the_oldest_due_is_paid_first_and_the_last_one_reached_in_part():
    invoices = [(3, date(2026, 3, 1), D("50.00")), (1, date(2026, 1, 1), D("100.00")),
                (2, date(2026, 1, 1), D("30.00"))]
    assert oldest_due_first(D("150.00"), invoices) == [(1, D("100.00")), (2, D("30.00")),
                                                       (3, D("20.00"))]


def test_settled_invoices_are_skipped_and_an_excess_is_left_over():
    invoices = [(1, date(2026, 1, 1), D("0")), (2, date(2026, 2, 1), D("40.00"))]
    assert oldest_due_first(D("100.00"), invoices) == [(2, D("40.00"))]


cents = st.integers(min_value=0, max_value=10**7).map(lambda c: D(c) / 100)


@given(amount=cents, balances=st.lists(cents, max_size=8))
def test_never_more_than_the_amount_nor_than_a_balance(amount, balances):
    invoices = [(n, date(2026, 1, 1 + n), balance) for n, balance in enumerate(balances)]
    shares = oldest_due_first(amount, invoices)
    assert sum(part for _, part in shares) == min(amount, sum(balances))
    assert all(0 < part <= balances[n] for n, part in shares)
