"""Sharing an amount over open invoices, the oldest due date first (auto-allocation)."""

from collections.abc import Hashable, Iterable
from datetime import date
from decimal import Decimal


def in_order(amount: Decimal, balances: Iterable[tuple[Hashable, Decimal]]) -> list[tuple[Hashable, Decimal]]:
    """(key, part) for each balance the amount reaches, in the order given, each paid as far
    as the amount goes; balances of 0 or less are skipped."""
    left, shares = amount, []
    for key, balance in balances:
        if left <= 0:
            break
        if balance <= 0:
            continue
        part = min(left, balance)
        shares.append((key, part))
        left -= part
    return shares


def oldest_due_first(amount: Decimal,
                     invoices: Iterable[tuple[int, date, Decimal]]) -> list[tuple[int, Decimal]]:
    """(invoice id, part) for each invoice the amount reaches, given (id, due date, balance):
    the earliest due date first (then the lowest id), each paid as far as the amount goes."""
    ordered = sorted(invoices, key=lambda row: (row[1], row[0]))
    return in_order(amount, ((invoice_id, balance) for invoice_id, _due, balance in ordered))
