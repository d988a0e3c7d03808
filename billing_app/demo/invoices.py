"""The life of each demo invoice: lines and totals, then sending, credits, payments and status.

Invoices come in issue-date order, so ids and numbers both follow the calendar. Each one is
replayed as a short timeline (overdue at the day after the due date, credit notes, payments);
after each event the status is what domain.invoice_status.status_for_balance says, its changes
become the invoice_status_history rows and its last state is stored.
"""

import random
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

from billing_app.demo import catalog
from billing_app.demo.bulk import TableWriter
from billing_app.demo.catalog import ProductSpec
from billing_app.demo.clients import ClientProfile
from billing_app.demo.dates import at
from billing_app.domain.invoice_status import OPEN_STATUSES, InvoiceStatus, status_for_balance
from billing_app.domain.money import quantize_money
from billing_app.domain.numbering import format_number, period_key
from billing_app.domain.totals import DocumentTotals, LineInput, compute_totals
from billing_app.models.invoices import DiscountType
from billing_app.models.payments import PaymentMethod, PaymentStatus

INVOICE_COLUMNS = (
    "id", "company_id", "number", "client_id", "status", "issue_date", "due_date", "currency",
    "discount_type", "discount_value", "prices_include_tax", "subtotal", "discount_total",
    "tax_total", "total", "amount_paid", "amount_credited", "balance_due", "notes", "terms",
    "sent_at", "paid_at", "cancelled_at", "created_by_id", "created_at", "updated_at",
)
LINE_COLUMNS = ("id", "invoice_id", "position", "product_id", "description", "quantity", "unit",
                "unit_price", "discount_type", "discount_value", "line_net")
LINE_TAX_COLUMNS = ("line_id", "tax_rate_id", "rate")
HISTORY_COLUMNS = ("id", "invoice_id", "from_status", "to_status", "changed_by_id", "changed_at",
                   "note")
PAYMENT_COLUMNS = ("id", "client_id", "payment_date", "amount", "currency", "method", "status",
                   "reference", "notes", "gateway_provider", "gateway_transaction_id",
                   "gateway_status", "created_by_id", "created_at", "amount_allocated",
                   "amount_refunded")
ALLOCATION_COLUMNS = ("id", "payment_id", "invoice_id", "amount", "created_at")

DRAFT, ISSUED, SENT, CANCELLED = (InvoiceStatus.DRAFT.value, InvoiceStatus.ISSUED.value,
                                  InvoiceStatus.SENT.value, InvoiceStatus.CANCELLED.value)
OPEN = {status.value for status in OPEN_STATUSES}
METHODS = tuple(method.value for method in PaymentMethod)
METHOD_WEIGHTS = (60, 12, 2, 3, 10, 13)  # in PaymentMethod order: bank transfer first
GATEWAY = PaymentMethod.ONLINE_GATEWAY.value
PART_SHARES = tuple(Decimal(share) for share in ("0.25", "0.3", "0.4", "0.5", "0.6", "0.7"))
CREDIT_REASONS = ("Returned goods", "Service not delivered as agreed", "Price correction")
CANCEL_REASONS = ("Ordered by mistake", "Duplicate invoice", "Client cancelled the order")
# Order of events on the same day: the overdue check runs at night, credits before payments.
AT_NIGHT, CREDIT, PAYMENT = 0, 1, 2
ONE_DAY, ONE_MINUTE = timedelta(days=1), timedelta(minutes=1)
ORDERS = 1000  # typical orders per kind of client, that clients pick favourites from


@dataclass(frozen=True)
class Staff:
    admin_id: int
    accountant_id: int


@dataclass(frozen=True)
class CreditNoteDraft:
    """A credit note before numbering; numbers are given in date order at the end."""

    invoice_id: int
    client_id: int
    issue_date: date
    reason: str
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    created_by_id: int
    created_at: datetime


class DocumentNumbers:
    """Gapless numbers per period from a company pattern; `sequences` ends at the last given."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.sequences: dict[str, int] = {}  # period key -> last number given

    def next(self, issue_date: date) -> str:
        key = period_key(self.pattern, issue_date)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return format_number(self.pattern, sequence=self.sequences[key], issue_date=issue_date)


class _Item(NamedTuple):
    """What a line sells, before the client's tax applies."""

    product_id: int
    spec: ProductSpec
    quantity: Decimal
    price: Decimal
    discount_type: str | None
    discount_value: Decimal | None


class _Line(NamedTuple):
    product_id: int
    description: str
    unit: str
    tax_rate_id: int
    input: LineInput


class InvoiceFactory:
    """Builds invoices one by one and writes them in chunks."""

    def __init__(self, rng: random.Random, writer: TableWriter, *, today: date,
                 clients: list[ClientProfile], staff: Staff, tax_rates: dict[int, Decimal],
                 numbers: DocumentNumbers, tax_rounding: str) -> None:
        self.rng, self.writer, self.today, self.staff = rng, writer, today, staff
        self.clients = clients
        self.client_weights = list(accumulate(client.weight for client in clients))
        self.tax_rates = tax_rates
        self.numbers = numbers
        self.tax_rounding = tax_rounding
        self.products = {spec.sku: (position, spec) for position, spec in enumerate(catalog.PRODUCTS, 1)}
        self.company_products = tuple(self.products.values())
        self.individual_products = tuple(p for p in self.company_products if p[1].for_individuals)
        self.last_ids: Counter[str] = Counter()
        self.credit_notes: list[CreditNoteDraft] = []
        self.rows: dict[str, list] = {}
        self.open_payments: dict[int, list] = {}  # client id -> last full payment, may take more
        self.plan_items = {sku: _Item(n, spec, Decimal(1), spec.price, None, None)
                           for sku, (n, spec) in self.products.items()}
        self.orders = {kind: [self._order(kind) for _ in range(ORDERS)] for kind in (True, False)}
        self.favourites: dict[int, list[int]] = {}  # client id -> positions in self.orders
        self.totals = lru_cache(maxsize=50_000)(self._compute_totals)

    def _compute_totals(self, lines: tuple[LineInput, ...], discount_type: str | None,
                        discount_value: Decimal | None) -> DocumentTotals:
        return compute_totals(lines, currency=catalog.CURRENCY, discount_type=discount_type,
                              discount_value=discount_value, tax_rounding=self.tax_rounding)

    def next_id(self, table: str) -> int:
        self.last_ids[table] += 1
        return self.last_ids[table]

    def add_row(self, table: str, row) -> None:
        self.rows.setdefault(table, []).append(row)

    def flush(self) -> None:
        """Write the buffered rows, parents before children."""
        rows = self.rows
        self.writer.write("invoices", INVOICE_COLUMNS, rows.get("invoices", ()))
        self.writer.write("invoice_lines", LINE_COLUMNS, rows.get("invoice_lines", ()))
        self.writer.write("invoice_line_taxes", LINE_TAX_COLUMNS, rows.get("invoice_line_taxes", ()))
        payments = [(*p, p[3], Decimal(0))  # demo payments: all allocated, none refunded
                    for p in rows.get("payments", ())]
        self.writer.write("payments", PAYMENT_COLUMNS, payments)
        self.writer.write("payment_allocations", ALLOCATION_COLUMNS, rows.get("payment_allocations", ()))
        self.writer.write("invoice_status_history", HISTORY_COLUMNS, rows.get("invoice_status_history", ()))
        self.rows = {}
        self.open_payments = {}  # written payments can no longer grow

    # ----- one invoice -----

    def add_invoice(self, issue_date: date) -> None:
        rng = self.rng
        invoice_id = self.next_id("invoices")
        client = self.clients[bisect(self.client_weights, rng.random() * self.client_weights[-1])]
        lines = self._lines(client, issue_date)
        discount_type, discount_value = self._invoice_discount(lines)
        totals = self.totals(tuple(line.input for line in lines), discount_type, discount_value)
        life = _Life(self, invoice_id, client, issue_date, lines, totals)
        life.run()
        self.add_row("invoices", (
            invoice_id, 1, life.number, client.id, life.status, issue_date, life.due, catalog.CURRENCY,
            discount_type, discount_value, False, totals.subtotal, totals.discount_total,
            totals.tax_total, totals.total, life.paid, life.credited,
            totals.total - life.paid - life.credited,
            "Purchase order " + str(rng.randint(10000, 99999)) if rng.random() < 0.1 else None,
            f"Payable within {client.terms_days} days.", life.sent_at, life.paid_at,
            life.cancelled_at, self.staff.accountant_id, life.created_at, life.updated_at,
        ))
        for position, (line, line_totals) in enumerate(zip(lines, totals.lines), 1):
            line_id = self.next_id("invoice_lines")
            self.add_row("invoice_lines", (
                line_id, invoice_id, position, line.product_id, line.description,
                line.input.quantity, line.unit, line.input.unit_price, line.input.discount_type,
                line.input.discount_value, line_totals.net,
            ))
            self.add_row("invoice_line_taxes", (line_id, line.tax_rate_id, self.tax_rates[line.tax_rate_id]))

    def _lines(self, client: ClientProfile, issue_date: date) -> list[_Line]:
        rng = self.rng
        suffix = ""
        if client.plan and rng.random() < 0.7:
            suffix = f" – {issue_date:%B %Y}"
            items = [self.plan_items[sku] for sku in client.plan]
        elif rng.random() < 0.6:
            items = self._favourite(client)
        else:
            items = self._order(client.is_company)
        return [self._line(client, item, suffix) for item in items]

    def _favourite(self, client: ClientProfile) -> list[_Item]:
        """Clients mostly reorder what they ordered before: a few orders from a shared pool."""
        pool = self.orders[client.is_company]
        favourites = self.favourites.get(client.id)
        if favourites is None:
            favourites = self.favourites[client.id] = self.rng.sample(range(len(pool)), 3)
        return pool[self.rng.choice(favourites)]

    def _order(self, is_company: bool) -> list[_Item]:
        rng = self.rng
        products = self.company_products if is_company else self.individual_products
        count = rng.choices((1, 2, 3, 4, 5), (30, 25, 20, 15, 10))[0]
        return [self._item(product, rng.choice(product[1].quantities))
                for product in rng.sample(products, min(count, len(products)))]

    def _item(self, product: tuple[int, ProductSpec], quantity: Decimal) -> _Item:
        rng = self.rng
        product_id, spec = product
        price = spec.price
        if rng.random() < 0.08:  # a negotiated price
            price = quantize_money(price * rng.choice((Decimal("0.9"), Decimal("0.95"))), catalog.CURRENCY)
        chance = rng.random()
        if chance < 0.08:
            return _Item(product_id, spec, quantity, price, DiscountType.PERCENT.value,
                         Decimal(rng.choice((5, 10, 15, 20))))
        if chance < 0.10:  # about a tenth, in whole euros
            return _Item(product_id, spec, quantity, price, DiscountType.AMOUNT.value,
                         (quantity * price / 10).quantize(Decimal(1)))
        return _Item(product_id, spec, quantity, price, None, None)

    def _line(self, client: ClientProfile, item: _Item, suffix: str) -> _Line:
        tax_rate_id = catalog.ZERO if client.zero_rated else item.spec.tax_rate_id
        return _Line(item.product_id, item.spec.name + suffix, item.spec.unit, tax_rate_id, LineInput(
            item.quantity, item.price, item.discount_type, item.discount_value,
            (self.tax_rates[tax_rate_id],)))

    def _invoice_discount(self, lines: list[_Line]) -> tuple[str | None, Decimal | None]:
        chance = self.rng.random()
        if chance < 0.04:
            return DiscountType.PERCENT.value, Decimal(self.rng.choice((2, 3, 5)))
        if chance < 0.05:
            amount = Decimal(self.rng.choice((25, 50, 100)))
            # line discounts take at most a fifth, so this stays below the subtotal
            if sum(line.input.quantity * line.input.unit_price for line in lines) * 4 / 5 > amount:
                return DiscountType.AMOUNT.value, amount
        return None, None

    def pay(self, client: ClientProfile, invoice_id: int, number: str, day: date,
            amount: Decimal, stamp: datetime, *, shared: bool) -> None:
        """Record a payment; a shared one joins the client's open payment of the same day."""
        row = self.open_payments.get(client.id) if shared else None
        if row is None or row[2] != day:
            payment_id = self.next_id("payments")
            method = self.rng.choices(METHODS, METHOD_WEIGHTS)[0]
            gateway = method == GATEWAY
            row = [payment_id, client.id, day, Decimal(0), catalog.CURRENCY, method,
                   PaymentStatus.COMPLETED.value, f"Payment for {number}", None,
                   "stripe" if gateway else None, f"pi_demo_{payment_id:010d}" if gateway else None,
                   "succeeded" if gateway else None, None if gateway else self.staff.accountant_id,
                   stamp]
            self.add_row("payments", row)
        row[3] += amount
        if shared:
            self.open_payments[client.id] = row
        self.add_row("payment_allocations", (self.next_id("payment_allocations"), row[0], invoice_id,
                                          amount, stamp))

    def shared_payment_day(self, client: ClientProfile, issue_date: date, day: date) -> date | None:
        """The day of the client's open payment if this invoice can join it (same week)."""
        row = self.open_payments.get(client.id)
        if row is not None and issue_date <= row[2] <= day and (day - row[2]).days <= 7:
            return row[2]
        return None


class _Life:
    """The timeline of one invoice, from draft to its status today."""

    def __init__(self, factory: InvoiceFactory, invoice_id: int, client: ClientProfile,
                 issue_date: date, lines: list[_Line], totals: DocumentTotals) -> None:
        self.factory, self.rng = factory, factory.rng
        self.invoice_id, self.client, self.issue_date = invoice_id, client, issue_date
        self.lines, self.totals = lines, totals
        self.due = issue_date + timedelta(days=client.terms_days)
        self.number = self.sent_at = self.paid_at = self.cancelled_at = None
        self.paid = self.credited = Decimal("0.00")
        self.created_at = self.updated_at = at(issue_date, 8, self.rng.randint(0, 59))
        self.status = None

    def run(self) -> None:
        rng, factory = self.rng, self.factory
        age = (factory.today - self.issue_date).days
        self._change(DRAFT, self.created_at, factory.staff.accountant_id)
        if (age <= 10 and rng.random() < 0.45) or rng.random() < 0.002:
            return  # still being written (or forgotten)
        self.number = factory.numbers.next(self.issue_date)
        issued_at = at(self.issue_date, rng.randint(9, 16), rng.randint(0, 59))
        self._change(ISSUED, issued_at, factory.staff.accountant_id)
        if age > 7 or self.invoice_id % 3:  # a third of last week's are not delivered yet
            self.sent_at = issued_at + 5 * ONE_MINUTE
            self._change(SENT, self.sent_at, factory.staff.accountant_id)
        for day, _, action, value in sorted(self._events(age), key=itemgetter(0, 1)):
            if day <= factory.today:
                action(day, value)

    def _events(self, age: int) -> list[tuple]:
        rng, client = self.rng, self.client
        events = [(self.due + ONE_DAY, AT_NIGHT, self._overdue, None)]
        if rng.random() < 0.025:
            cancel_day = self.issue_date + timedelta(days=rng.randint(0, min(age, client.terms_days)))
            return events + [(cancel_day, CREDIT, self._cancel, rng.choice(CANCEL_REASONS))]
        first_day = self.issue_date
        if len(self.lines) > 1 and self.totals.discount_total == 0 and rng.random() < 0.015:
            first_day += timedelta(days=rng.randint(1, 7))
            events.append((first_day, CREDIT, self._credit, rng.choice(CREDIT_REASONS)))
        delay = self._payment_delay()
        if delay is None:
            return events
        pay_day = first_day + timedelta(days=delay)
        if rng.random() < 0.1:  # paid in two parts; a few never pay the rest
            part_day = first_day + timedelta(days=rng.randint(0, delay))
            events.append((part_day, PAYMENT, self._pay_part, rng.choice(PART_SHARES)))
            if rng.random() < 0.2:
                return events
            pay_day += timedelta(days=1)
        shared = len(events) == 1  # paid at once: may share a payment with other invoices
        if shared and rng.random() < 0.5:
            pay_day = self.factory.shared_payment_day(client, self.issue_date, pay_day) or pay_day
        events.append((pay_day, PAYMENT, self._pay_rest, shared))
        return events

    def _payment_delay(self) -> int | None:
        """Days from issue (or credit) to payment, by the client's habits; None: never pays."""
        rng, terms = self.rng, self.client.terms_days
        match self.client.payer:
            case "punctual":
                return rng.randint(max(0, terms - 12), terms)
            case "late":
                return terms + rng.randint(1, 30)
            case "slow":
                return terms + rng.randint(20, 90)
        return terms + rng.randint(60, 200) if rng.random() < 0.4 else None

    @property
    def balance(self) -> Decimal:
        return self.totals.total - self.paid - self.credited

    def _change(self, status: str, stamp: datetime, by: int | None, note: str | None = None) -> None:
        if status != self.status:
            self.factory.add_row("invoice_status_history", (
                self.factory.next_id("invoice_status_history"), self.invoice_id, self.status,
                status, by, stamp, note))
            self.status = status
        self.updated_at = stamp

    def _stamp(self, day: date, hour: int) -> datetime:
        """A time on that day, after everything before it on this invoice."""
        return max(at(day, hour, self.rng.randint(0, 59)), self.updated_at + ONE_MINUTE)

    def _settle(self, day: date, stamp: datetime, by: int | None, note: str | None = None) -> None:
        """Move to the status the app's own rule gives for the balance on that day."""
        total = self.totals.total
        self._change(status_for_balance(total, self.paid, self.credited, self.due, day,
                                        delivered=self.sent_at is not None).value,
                     stamp, by, note)

    def _overdue(self, day: date, _) -> None:
        if self.status in OPEN:
            self._settle(day, self._stamp(day, 1), None, "Due date passed")

    def _issue_credit_note(self, day: date, reason: str, subtotal: Decimal, tax: Decimal,
                           total: Decimal, by: int) -> datetime:
        stamp = self._stamp(day, 14)
        self.credited += total
        self.factory.credit_notes.append(CreditNoteDraft(
            self.invoice_id, self.client.id, day, reason, subtotal, tax, total, by, stamp))
        return stamp

    def _cancel(self, day: date, reason: str) -> None:
        totals = self.totals
        stamp = self._issue_credit_note(day, reason, totals.taxable, totals.tax_total, totals.total,
                                        self.factory.staff.admin_id)
        self.cancelled_at = stamp
        self._change(CANCELLED, stamp, self.factory.staff.admin_id, reason)

    def _credit(self, day: date, reason: str) -> None:
        """Credit the last line, as if it were returned."""
        credit = self.factory.totals((self.lines[-1].input,), None, None)
        if credit.total < self.balance:
            stamp = self._issue_credit_note(day, reason, credit.taxable, credit.tax_total,
                                            credit.total, self.factory.staff.accountant_id)
            self._settle(day, stamp, self.factory.staff.accountant_id)

    def _record_payment(self, day: date, amount: Decimal, shared: bool) -> datetime:
        stamp = self._stamp(day, 11)
        self.factory.pay(self.client, self.invoice_id, self.number, day, amount, stamp, shared=shared)
        self.paid += amount
        return stamp

    def _pay_part(self, day: date, share: Decimal) -> None:
        stamp = self._record_payment(day, quantize_money(self.balance * share, catalog.CURRENCY), False)
        self._settle(day, stamp, self.factory.staff.accountant_id)

    def _pay_rest(self, day: date, shared: bool) -> None:
        stamp = self._record_payment(day, self.balance, shared)
        self.paid_at = stamp
        self._settle(day, stamp, self.factory.staff.accountant_id)
