"""Sharing an amount over open invoices, the oldest due date first (auto-allocation)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal


def oldest_due_first(amount: Decimal,
                     invoices: Iterable[tuple[int, date, Decimal]]) -> list[tuple[int, Decimal]]:
    """(invoice id, part) for each invoice the amount reaches, given (id, due date, balance):
    the earliest due date first (then the lowest id), each paid as far as the amount goes."""
    left, shares = amount, []
    for invoice_id, _due, balance in sorted(invoices, key=lambda row: (row[1], row[0])):
        if left <= 0:
            break
        if balance <= 0:
            continue
        part = min(left, balance)
        shares.append((invoice_id, part))
        left -= part
    return shares
