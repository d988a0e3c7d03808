"""The allocation editor shared by Record payment, the bank review's "Change…" dialog and a
payment's "Allocate remainder" dialog: a client's open invoices, how much of the money goes
on each, and a summary of what is left as the client's credit.

The allocation follows the amount (the listed order: oldest due date first) until the person
types an amount on an invoice or clears them; from then on it stays as they left it, and a
mismatch is said at the amount. "Allocate oldest first" makes it follow again.
"""

import dataclasses
import re
from decimal import Decimal

import reflex as rx

from billing_app.domain.allocation import in_order
from billing_app.domain.money import format_money, parse_money, quantize_money
from billing_app.errors import BillingError
from billing_app.queries.payments import OpenInvoice
from billing_app.ui import routes
from billing_app.ui.states.links import href

_ROW_FIELD = re.compile(r"^allocations\.(\d+)\.")


@dataclasses.dataclass
class AllocationRow:
    invoice_id: str = ""
    number: str = ""
    href: str = ""
    due_date: str = ""
    balance: str = ""  # formatted, for reading
    balance_value: str = ""  # plain, for sharing out
    apply: str = ""  # what the person typed, or what following the amount put there
    error: str = ""


@dataclasses.dataclass
class AllocationSummary:
    allocated: str = ""
    unallocated: str = ""  # kept as the client's credit; "—" while the amount is no amount
    mismatch: str = ""  # the amounts on invoices are more than the money


def typed_amount(text: str) -> Decimal | None:
    """The amount typed, or None while it is blank or not (yet) an amount."""
    try:
        return parse_money(text)
    except ValueError:
        return None


def _money(amount: Decimal, currency: str) -> str:
    try:
        return format_money(amount, currency)
    except ValueError:  # a currency code still being typed
        return f"{amount:,.2f}"


def allocation_row(invoice: OpenInvoice, apply: str = "") -> AllocationRow:
    return AllocationRow(
        invoice_id=str(invoice.id), number=invoice.number or "", due_date=invoice.due_date.isoformat(),
        href=href(routes.INVOICE, invoice_id=invoice.id),
        balance=format_money(invoice.balance_due, invoice.currency),
        balance_value=f"{quantize_money(invoice.balance_due, invoice.currency):f}", apply=apply)


class AllocationEditor(rx.State, mixin=True):
    """Mixed into an AuthState. The state sets the rows (_show_allocation_rows) and the money to
    share (_share_amount) and sends _allocation_wishes() to its service."""

    allocation_rows: list[AllocationRow] = []
    allocation_summary: AllocationSummary = AllocationSummary()
    allocation_error: str = ""  # a message about the allocations as a whole
    _allocation_amount: Decimal | None = None
    _allocation_currency: str = ""
    _allocation_by_hand: bool = False

    def _show_allocation_rows(self, rows: list[AllocationRow], currency: str, *, by_hand: bool = False) -> None:
        """New rows (in the order the amount goes on them); by_hand keeps what they carry."""
        self.allocation_rows, self._allocation_currency = rows, currency
        self._allocation_by_hand, self.allocation_error = by_hand, ""
        self._follow_amount()

    def _share_amount(self, amount: Decimal | None, currency: str | None = None) -> None:
        """The money to share changed (None: not an amount yet)."""
        self._allocation_amount = amount
        if currency is not None:
            self._allocation_currency = currency
        self._follow_amount()

    def _follow_amount(self) -> None:
        amount = self._allocation_amount
        if not self._allocation_by_hand and amount is not None:
            shares = dict(in_order(amount, [(i, Decimal(row.balance_value))
                                            for i, row in enumerate(self.allocation_rows)]))
            self.allocation_rows = [dataclasses.replace(row, apply=f"{shares[i]:f}" if i in shares else "",
                                                        error="")
                                    for i, row in enumerate(self.allocation_rows)]
        self._summarise()

    def _summarise(self) -> None:
        currency, amount = self._allocation_currency, self._allocation_amount
        allocated = sum((typed_amount(row.apply) or Decimal(0) for row in self.allocation_rows), Decimal(0))
        left = None if amount is None else amount - allocated
        self.allocation_summary = AllocationSummary(
            allocated=_money(allocated, currency),
            unallocated="—" if left is None else _money(max(left, Decimal(0)), currency),
            mismatch="" if left is None or left >= 0 else
            f"The amounts on the invoices add up to {_money(allocated, currency)}, "
            f"{_money(-left, currency)} more than the {_money(amount, currency)} received. "
            "Lower an invoice's amount, or choose “Allocate oldest first”.")

    @rx.event
    def set_allocation(self, index: int, value: str):
        """The person typed an amount on an invoice: from now on the allocation stays theirs."""
        if isinstance(index, int) and 0 <= index < len(self.allocation_rows):
            rows = list(self.allocation_rows)
            rows[index] = dataclasses.replace(rows[index], apply=str(value)[:30], error="")
            self.allocation_rows, self._allocation_by_hand, self.allocation_error = rows, True, ""
            self._summarise()

    @rx.event
    def allocate_oldest_first(self):
        """Share the amount out again, the oldest due date first, and follow it from now on."""
        if self._allocation_amount is None or self._allocation_amount <= 0:
            self.allocation_error = "Enter the amount first; it is shared out from there."
            return
        self._allocation_by_hand, self.allocation_error = False, ""
        self._follow_amount()

    @rx.event
    def clear_allocations(self):
        """Nothing on any invoice (all of it stays as credit) until the person says otherwise."""
        self.allocation_rows = [dataclasses.replace(row, apply="", error="") for row in self.allocation_rows]
        self._allocation_by_hand, self.allocation_error = True, ""
        self._summarise()

    def _allocation_wishes(self) -> list[dict[str, str]]:
        """The rows with an amount, as the payment services take them (in the rows' order)."""
        return [{"invoice_id": row.invoice_id, "amount": row.apply.strip()}
                for row in self.allocation_rows if row.apply.strip()]

    def _show_allocation_problem(self, error: BillingError) -> bool:
        """Put an error naming an allocation (by its field) at its invoice's row, or at the
        allocations; False when the error is about something else."""
        field = error.field or ""
        row = _ROW_FIELD.match(field)
        sent = [row.invoice_id for row in self.allocation_rows if row.apply.strip()]
        if row and int(row.group(1)) < len(sent):
            invoice_id = sent[int(row.group(1))]
            self.allocation_rows = [dataclasses.replace(r, error=error.detail if r.invoice_id == invoice_id else "")
                                    for r in self.allocation_rows]
            return True
        if field == "allocations" or field.startswith("allocations."):
            self.allocation_error = error.message
            return True
        return False

    def _clear_allocation_problems(self) -> None:
        self.allocation_rows = [dataclasses.replace(row, error="") for row in self.allocation_rows]
        self.allocation_error = ""
