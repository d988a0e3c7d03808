"""A deliberately plain aging computation to check the report against: every row read into
Python, one loop per invoice, no SQL arithmetic, no pandas, its own bucket rules."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import text


@dataclass
class Data:
    zone: ZoneInfo
    invoices: list
    allocations: dict
    payments: dict
    credit_notes: dict
    fees: dict


def load(session) -> Data:
    run = lambda sql: session.execute(text(sql)).mappings().all()  # noqa: E731
    allocations, credit_notes, fees = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in run("SELECT * FROM payment_allocations"):
        allocations[row["invoice_id"]].append(row)
    for row in run("SELECT * FROM credit_notes"):
        credit_notes[row["invoice_id"]].append(row)
    for row in run("SELECT * FROM invoice_fees"):
        fees[row["invoice_id"]].append(row)
    return Data(
        zone=ZoneInfo(run("SELECT time_zone FROM company")[0]["time_zone"]),
        invoices=run("SELECT * FROM invoices"),
        allocations=allocations,
        payments={row["id"]: row for row in run("SELECT * FROM payments")},
        credit_notes=credit_notes,
        fees=fees,
    )


def label_for(age: int, basis: str, boundaries: tuple[int, ...]) -> str:
    if basis == "due_date" and age <= 0:
        return "Current"
    low = 1 if basis == "due_date" else 0
    for high in boundaries:
        if age <= high:
            return f"{low}-{high}"
        low = high + 1
    return f"Over {boundaries[-1]}"


def open_on(data: Data, invoice, as_of: date) -> Decimal:
    """What the invoice owed at the end of the as-of day (company time)."""
    def local_day(moment):
        return moment.astimezone(data.zone).date()

    owed = invoice["total"]
    for fee in data.fees[invoice["id"]]:
        if fee["charged_on"] <= as_of:
            owed += fee["amount"]
    for allocation in data.allocations[invoice["id"]]:
        payment = data.payments[allocation["payment_id"]]
        if payment["payment_date"] > as_of:
            continue
        if payment["status"] == "completed":
            owed -= allocation["amount"]
        elif payment["reversed_at"] is not None and local_day(payment["reversed_at"]) > as_of:
            owed -= allocation["amount"]
    for note in data.credit_notes[invoice["id"]]:
        if note["status"] == "issued" and note["issue_date"] <= as_of:
            owed -= note["total"]
    return owed


def counted(data: Data, invoice, as_of: date) -> bool:
    if invoice["number"] is None or invoice["status"] == "draft" or invoice["issue_date"] > as_of:
        return False
    if invoice["status"] == "cancelled":
        stamp = invoice["cancelled_at"]
        return stamp is not None and stamp.astimezone(data.zone).date() > as_of
    return True


def plain_aging(data: Data, as_of: date, basis="due_date", boundaries=(30, 60, 90, 120),
                client_id=None, currency=None, only_overdue=False) -> dict:
    """{(client_id, currency, label): amount} of the open invoices on the as-of day."""
    cells = defaultdict(Decimal)
    for invoice in data.invoices:
        if not counted(data, invoice, as_of):
            continue
        if client_id is not None and invoice["client_id"] != client_id:
            continue
        if currency is not None and invoice["currency"] != currency:
            continue
        if only_overdue and not invoice["due_date"] < as_of:
            continue
        owed = open_on(data, invoice, as_of)
        if owed <= 0:
            continue
        age = (as_of - invoice[basis]).days
        cells[(invoice["client_id"], invoice["currency"], label_for(age, basis, boundaries))] += owed
    return dict(cells)
