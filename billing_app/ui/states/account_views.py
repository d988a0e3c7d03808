"""Payments on an invoice, credit notes and statement entries as the invoice and client pages
show them. Money leaves the server as formatted text; Decimal never reaches the browser."""

from decimal import Decimal

from billing_app.domain.money import format_money
from billing_app.queries.payments import AllocationRow, CreditNoteRow, StatementEntry
from billing_app.ui import routes
from billing_app.ui.states.links import href
from billing_app.ui.states.payments import METHOD_LABELS, PAYMENT_STATUS_LABELS

ENTRY_KINDS = {"invoice": "Invoice", "fee": "Late fee", "credit_note": "Credit note",
               "payment": "Payment", "refund": "Refund", "return": "Returned by the bank"}


def record_payment_href(client_id: int, invoice_id: int | None = None) -> str:
    """The new-payment page with the client chosen (and that invoice's balance put in)."""
    query = f"client={client_id}" + (f"&invoice={invoice_id}" if invoice_id else "")
    return f"{routes.PAYMENT_NEW.route}?{query}"


def allocation_view(row: AllocationRow, link: bool = True) -> dict[str, str]:
    """One payment on an invoice: the part of it that went to this invoice; `link` to the
    payment's page (staff only)."""
    status = str(row.payment_status)
    return {
        "date": row.payment_date.isoformat(),
        "method": METHOD_LABELS.get(str(row.method), str(row.method)),
        "reference": row.reference or "",
        "amount": format_money(row.amount, row.currency),
        "href": href(routes.PAYMENT, payment_id=row.payment_id) if link else "",
        "status": status,
        "status_label": PAYMENT_STATUS_LABELS.get(status, status),
    }


def credit_note_view(row: CreditNoteRow) -> dict[str, str]:
    note = row.credit_note
    return {
        "number": note.number or f"Draft #{note.id}",
        "date": note.issue_date.isoformat(),
        "reason": note.reason or "",
        "amount": format_money(note.total, note.currency),
    }


def statement_entry_view(entry: StatementEntry, currency: str) -> dict[str, str]:
    return {
        "date": entry.on.isoformat(),
        "document": entry.document or "",
        "kind": ENTRY_KINDS.get(entry.kind, entry.kind),
        "debit": format_money(entry.debit, currency) if entry.debit else "",
        "credit": format_money(entry.credit, currency) if entry.credit else "",
        "balance": format_money(entry.balance, currency),
    }


def credit_text(credit: dict[str, Decimal]) -> str:
    """{"EUR": 50} -> "€50.00"; several currencies side by side; "None" without credit."""
    return " · ".join(format_money(amount, currency) for currency, amount in credit.items()) or "None"
