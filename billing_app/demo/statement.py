"""A bank statement (CSV) that pays some of the demo data's open invoices, to try the import.

Its lines show each kind of evidence the matching weighs: invoice numbers in the reference,
an invoice's RF creditor reference, one transfer for two invoices, a part payment, an overpayment, a payer known only by name,
a bank fee (money out) and a transfer nobody can place.
"""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from billing_app.domain.creditor_reference import creditor_reference, grouped
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice

HEADERS = ("Booking date", "Amount", "Currency", "Counterparty name", "Counterparty IBAN",
           "Description")


def demo_iban(client_id: int) -> str:
    """A German-format IBAN with valid check digits (ISO 13616 mod 97) for a demo client."""
    bban = f"37040044{client_id:010d}"
    digits = "".join(str(int(ch, 36)) for ch in bban + "DE00")
    return f"DE{98 - int(digits) % 97:02d}{bban}"


def sample_statement(session: Session, *, booked: date) -> str:
    """The CSV text; empty when the data has too few open invoices."""
    rows = session.exec(
        select(Invoice, Client.name).join(Client, Client.id == Invoice.client_id)
        .where(Invoice.status.in_(OPEN_STATUSES), Invoice.balance_due > 0,
               Invoice.currency == "EUR")
        .order_by(Invoice.due_date, Invoice.id).limit(200)).all()
    by_client: dict[int, list] = {}
    for invoice, name in rows:
        by_client.setdefault(invoice.client_id, []).append((invoice, name))
    singles = [items[0] for items in by_client.values()][:6]
    if len(singles) < 6:
        return ""
    paid_singly = {invoice.client_id for invoice, _ in singles}
    pairs = [items[:2] for client_id, items in by_client.items()
             if len(items) >= 2 and client_id not in paid_singly]
    lines = []

    def add(day: int, amount: Decimal, invoice_client: tuple | None, reference: str,
            named: bool = True, iban: bool = True) -> None:
        invoice, name = invoice_client if invoice_client else (None, "")
        lines.append(((booked - timedelta(days=day)).isoformat(), f"{amount:.2f}", "EUR",
                      name if named else "", demo_iban(invoice.client_id) if invoice and iban
                      else "", reference))

    for day, (invoice, name) in enumerate(singles[:2]):
        add(day, invoice.balance_due, (invoice, name), f"Invoice {invoice.number} thank you")
    invoice, name = singles[2]
    add(2, invoice.balance_due, (invoice, name), grouped(creditor_reference(invoice.number)))
    if pairs:
        (first, name), (second, _) = pairs[0]
        add(1, first.balance_due + second.balance_due, (first, name),
            f"{first.number}, {second.number}")
    invoice, name = singles[3]
    add(2, (invoice.balance_due / 2).quantize(Decimal("0.01")), (invoice, name),
        f"Part payment {invoice.number}")
    invoice, name = singles[4]
    add(2, invoice.balance_due + Decimal("25.00"), (invoice, name), f"{invoice.number}")
    invoice, name = singles[5]
    add(3, invoice.balance_due, (invoice, name), "Payment", iban=False)
    lines.append(((booked - timedelta(days=3)).isoformat(), "-12.50", "EUR", "Demo Bank AG",
                  "", "Account fee"))
    lines.append(((booked - timedelta(days=4)).isoformat(), "310.00", "EUR",
                  "Unknown Sender Ltd", "GB33BUKB20201555555555", "Transfer"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(lines)
    return out.getvalue()
