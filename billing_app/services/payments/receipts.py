"""The confirmation email a client gets for its payment, queued in the outbox."""

from collections.abc import Sequence

from babel.dates import format_date
from sqlmodel import Session, select

from billing_app.domain.money import format_money
from billing_app.models.clients import Client, Contact
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox
from billing_app.models.payments import Payment, PaymentAllocation
from billing_app.mail.outbox import outbox_queue
from billing_app.queries.company import current_company


def receipt_address(session: Session, client: Client) -> str | None:
    """The primary contact's email, else the client's own; None when neither is known."""
    primary = session.exec(select(Contact.email).where(Contact.client_id == client.id,
                                                       Contact.is_primary)).first()
    return primary or client.email


def receipt_queue(session: Session, *, payment: Payment, client: Client,
                  allocations: Sequence[PaymentAllocation]) -> EmailOutbox | None:
    address = receipt_address(session, client)
    if address is None:
        return None
    company = current_company(session)

    def money(amount):
        return format_money(amount, payment.currency, locale=company.locale)

    invoices = {invoice.id: invoice for invoice in session.exec(
        select(Invoice).where(Invoice.id.in_([a.invoice_id for a in allocations])))}
    lines = [{"number": invoices[a.invoice_id].number, "amount": money(a.amount),
              "balance_left": money(invoices[a.invoice_id].balance_due)
              if invoices[a.invoice_id].balance_due else None} for a in allocations]
    return outbox_queue(session, template="payment_receipt", to_address=address,
                        kind="payment_receipt", payment_id=payment.id, context={
                            "client_name": client.name, "company_name": company.name,
                            "amount": money(payment.amount), "reference": payment.reference,
                            "payment_date": format_date(payment.payment_date, "long",
                                                        locale=company.locale),
                            "allocations": lines,
                            "credit": money(payment.unallocated) if payment.unallocated else None,
                        })
