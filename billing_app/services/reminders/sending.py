"""Sending the reminder an invoice is due for today: the reminders_sent row, the late fee and
the outbox email, in one transaction.

Safe under concurrency and redelivery: the invoice row is locked first (as payments lock
it), then the due level is worked out again from the committed state, and the
reminders_sent row is inserted with ON CONFLICT DO NOTHING on its unique (invoice, level).
A second scan that reaches the same invoice waits for the lock, then finds the reminder
sent and does nothing; the email exists only if its row does, so it goes out at most once.
"""

from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from billing_app.auth.permissions import SYSTEM_ACTOR, Action, require
from billing_app.documents.invoice import invoice_pdf
from billing_app.documents.store import sent_document_keep
from billing_app.domain.money import format_money
from billing_app.domain.reminders import late_fee
from billing_app.mail.outbox import outbox_queue
from billing_app.models.base import utcnow
from billing_app.models.clients import Client
from billing_app.models.documents import DocumentKind
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox, ReminderSent
from billing_app.models.reminders import InvoiceFee, ReminderLevel
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.queries.reminders import reminders_due
from billing_app.services.invoices._common import audit_invoice, invoice_for_update
from billing_app.services.invoices.lifecycle import invoice_refresh_balance
from billing_app.services.payments.receipts import receipt_address
from billing_app.mail.links import client_invoice_link

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert_once(session: Session, model, **values) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the new row's id, or None when the
    unique key was taken (by this or a concurrent transaction)."""
    statement = (_INSERT[session.get_bind().dialect.name](model.__table__).values(**values)
                 .on_conflict_do_nothing().returning(model.__table__.c.id))
    return session.execute(statement).scalar_one_or_none()


def _charge_fee(session: Session, invoice: Invoice, level: ReminderLevel,
                today: date) -> InvoiceFee | None:
    """The level's late fee on the invoice, at most once per (invoice, level); the balance and
    status follow through invoice_refresh_balance."""
    amount = late_fee(level.fee_kind, level.fee_value, invoice.balance_due, invoice.currency)
    if not amount:
        return None
    fee_id = _insert_once(session, InvoiceFee, invoice_id=invoice.id, level=level.id,
                          description=f"Late fee: {level.name}", amount=amount,
                          charged_on=today, created_at=utcnow())
    if fee_id is None:
        return None
    invoice.fees_total += amount
    invoice_refresh_balance(session, actor=SYSTEM_ACTOR, invoice=invoice, today=today)
    session.flush()
    return session.get(InvoiceFee, fee_id)


def _attachment(session: Session, invoice: Invoice) -> int:
    """The invoice PDF as it stands now (fee included), kept as sent."""
    document = invoice_pdf(session, actor=SYSTEM_ACTOR, invoice_id=invoice.id)
    return sent_document_keep(session, kind=DocumentKind.INVOICE, content=document.content,
                              filename=document.filename, invoice_id=invoice.id).id


def _email(session: Session, invoice: Invoice, client: Client, level: ReminderLevel,
           fee: InvoiceFee | None, address: str, today: date) -> EmailOutbox:
    company = current_company(session)

    def money(amount):
        return format_money(amount, invoice.currency, locale=company.locale)

    return outbox_queue(
        session, template=level.template_key, to_address=address, kind="reminder",
        invoice_id=invoice.id, client_id=client.id, attachments=[_attachment(session, invoice)],
        context={"client_name": client.name, "company_name": company.name,
                 "invoice_number": invoice.number, "total": money(invoice.total),
                 "amount_due": money(invoice.balance_due),
                 "due_date": format_date(invoice.due_date, "long", locale=company.locale),
                 "link": client_invoice_link(invoice.id),
                 "days_overdue": (today - invoice.due_date).days,
                 "late_fee": money(fee.amount) if fee is not None else None})


def reminder_send(session: Session, *, invoice_id: int, today: date, now: datetime | None = None,
                  actor: User = SYSTEM_ACTOR) -> EmailOutbox | None:
    """Send the invoice the reminder it is due for today, if any: records the level as sent,
    charges its fee and queues the email (sent after commit). None when nothing is due (any
    more), or when the client has no email address (tried again on the next scan)."""
    require(actor, Action.INVOICES_WRITE)
    invoice = invoice_for_update(session, invoice_id)
    due = reminders_due(session, today=today, invoice_id=invoice.id)
    client = session.get(Client, invoice.client_id)
    address = receipt_address(session, client)
    if not due or address is None:
        return None
    level = session.get(ReminderLevel, due[0][1])
    sent_id = _insert_once(session, ReminderSent, invoice_id=invoice.id, level=level.id,
                           sent_at=now or utcnow())
    if sent_id is None:
        return None
    fee = _charge_fee(session, invoice, level, today)
    email = _email(session, invoice, client, level, fee, address, today)
    reminder = session.get(ReminderSent, sent_id)
    reminder.outbox_id = email.id
    session.add(reminder)
    audit_invoice(session, actor, "reminder", invoice.id,
                  {"level": level.name, "days": level.days, "outbox_id": email.id,
                   "fee": str(fee.amount) if fee is not None else None})
    session.flush()
    return email
