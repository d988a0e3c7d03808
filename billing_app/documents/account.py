"""Payment receipts and account statements: the client's money rather than one invoice."""

from datetime import date

from sqlmodel import Session

from billing_app.auth.permissions import Action
from billing_app.documents.parties import TotalRow, client_party, common_context, look_of
from billing_app.documents.rendering import (
    RenderedDocument,
    html_to_pdf,
    render_html,
    safe_filename,
)
from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.clients import Client
from billing_app.models.payments import PaymentStatus
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.queries.invoices.detail import own_client_only
from billing_app.queries.payments import payment_with_allocations, statement_of


def receipt_pdf(session: Session, *, actor: User, payment_id: int) -> RenderedDocument:
    """Staff who read payments get any receipt; a client user its own client's."""
    own_client = own_client_only(actor, Action.PAYMENTS_READ)
    detail = payment_with_allocations(session, payment_id)
    payment = detail.payment
    if own_client is not None and payment.client_id != own_client:
        raise NotFound("That payment does not exist.")
    company = current_company(session)
    client = session.get(Client, payment.client_id)
    look = look_of(company, client)
    t, fmt = look.labels, look.fmt

    def money(amount):
        return fmt.money(amount, payment.currency)

    status_note = {PaymentStatus.VOID: t["status_void"],
                   PaymentStatus.REFUNDED: t["status_refunded"],
                   PaymentStatus.RETURNED: t["status_returned"]}.get(payment.status)
    context = {
        **common_context(company, look, title=f"{t['receipt']} {payment.id}",
                         client=client_party(session, client, look)),
        "heading": t["receipt"],
        "facts": [(t["number"], str(payment.id)),
                  (t["payment_date"], fmt.date(payment.payment_date)),
                  (t["method"], t.get(f"method_{payment.method}", str(payment.method)))]
                 + ([(t["reference"], payment.reference)] if payment.reference else []),
        "status_note": status_note,
        "allocations": [{"document": row.invoice_number or f"#{row.invoice_id}",
                         "amount": money(row.amount)} for row in detail.allocations],
        "totals": ([TotalRow(t["unallocated"], money(payment.unallocated))]
                   if payment.unallocated else [])
                  + [TotalRow(t["amount"], money(payment.amount), strong=True)],
    }
    return RenderedDocument(safe_filename("receipt", str(payment.id)),
                            html_to_pdf(render_html("receipt.html", context)))


def statement_pdf(session: Session, *, actor: User, client_id: int, date_from: date,
                  date_to: date, currency: str | None = None) -> RenderedDocument:
    """Opening balance, what happened in the period, closing balance, in the currency (the
    client's own when not given).

    Staff who read payments get any client's; a client user only its own.
    """
    own_client = own_client_only(actor, Action.PAYMENTS_READ)
    if own_client is not None and own_client != client_id:
        raise NotFound("That client does not exist.")
    if date_from > date_to:
        raise ValidationFailed("The period must start on or before its end.", field="date_from")
    statement = statement_of(session, client_id, currency=currency, date_from=date_from,
                             date_to=date_to)
    company = current_company(session)
    client = session.get(Client, client_id)
    look = look_of(company, client)
    t, fmt = look.labels, look.fmt

    def money(amount):
        return fmt.money(amount, statement.currency)

    period = f"{fmt.date(date_from)} – {fmt.date(date_to)}"
    context = {
        **common_context(company, look, title=f"{t['statement']} {client.name}",
                         client=client_party(session, client, look)),
        "heading": t["statement"],
        "facts": [(t["period"], period), (t["currency"], statement.currency)],
        "opening": money(statement.opening_balance),
        "closing": money(statement.closing_balance),
        "entries": [{"date": fmt.date(entry.on), "kind": t.get(f"kind_{entry.kind}", entry.kind),
                     "document": entry.document,
                     "debit": money(entry.debit) if entry.debit else "",
                     "credit": money(entry.credit) if entry.credit else "",
                     "balance": money(entry.balance)} for entry in statement.entries],
    }
    name = safe_filename("statement", str(client_id), statement.currency, date_from.isoformat(),
                         date_to.isoformat())
    return RenderedDocument(name, html_to_pdf(render_html("statement.html", context)))
