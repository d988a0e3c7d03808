"""Reads of the dunning schedule: the levels, which invoices are due for which level today,
and an invoice's reminders as its page and the API show them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, exists
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.domain.reminders import Step, step_date, step_next
from billing_app.errors import NotFound
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox, ReminderSent
from billing_app.models.reminders import InvoiceFee, ReminderLevel
from billing_app.models.users import User


def reminder_levels(session: Session) -> list[ReminderLevel]:
    """The schedule, earliest level first. No permission check: the scan and the pages that
    show it check their own actor."""
    return list(session.exec(select(ReminderLevel).order_by(ReminderLevel.days)).all())


def reminder_levels_list(session: Session, *, actor: User) -> list[ReminderLevel]:
    """The schedule for the settings page."""
    require(actor, Action.SETTINGS_MANAGE)
    return reminder_levels(session)


def _remindable():
    """Issued, something left to pay, not fully credited, not paused (invoice or client)."""
    return and_(Invoice.status.in_(OPEN_STATUSES), Invoice.balance_due > 0,
                Invoice.amount_credited < Invoice.total, Invoice.reminders_paused_at.is_(None),
                Client.reminders_paused_at.is_(None))


def reminders_due(session: Session, *, today: date,
                  invoice_id: int | None = None) -> list[tuple[int, int]]:
    """(invoice id, level id) of every reminder to send today, by invoice id within a level.

    For each level, the invoices for which it is the latest level reached (its date has come,
    the next level's has not) and that got neither it nor a later level: domain.reminders'
    rule as one indexed due-date range per level. `invoice_id` asks about one invoice (the
    sender's re-check under the invoice's row lock)."""
    steps = [Step(level.id, level.days) for level in reminder_levels(session)]
    due = []
    for position, step in enumerate(steps):
        query = (select(Invoice.id).join(Client, Client.id == Invoice.client_id)
                 .where(_remindable(), Invoice.due_date <= today - timedelta(days=step.days),
                        ~exists().where(ReminderSent.invoice_id == Invoice.id,
                                        ReminderSent.level.in_([s.id for s in steps[position:]])))
                 .order_by(Invoice.id))
        if position + 1 < len(steps):
            query = query.where(Invoice.due_date > today - timedelta(days=steps[position + 1].days))
        if invoice_id is not None:
            query = query.where(Invoice.id == invoice_id)
        due += [(found, step.id) for found in session.exec(query)]
    return due


@dataclass(frozen=True)
class ReminderSentRow:
    level_name: str  # "(removed level)" when the level was deleted since
    sent_at: datetime
    fee: Decimal | None
    email_status: str | None


@dataclass(frozen=True)
class NextReminder:
    level_name: str
    on: date  # may be today or past: the next scan sends it


@dataclass(frozen=True)
class InvoiceReminders:
    currency: str
    sent: list[ReminderSentRow]
    next: NextReminder | None  # None: no level left, or the invoice takes no reminders
    paused_reason: str | None  # the invoice's pause, else its client's
    client_paused: bool


def invoice_reminders(session: Session, *, actor: User, invoice_id: int,
                      today: date) -> InvoiceReminders:
    """The reminders an invoice got (level, time, fee) and the one it gets next, with its date."""
    require(actor, Action.INVOICES_READ)
    found = session.exec(select(Invoice, Client).join(Client, Client.id == Invoice.client_id)
                         .where(Invoice.id == invoice_id)).first()
    if found is None:
        raise NotFound("That invoice does not exist.")
    invoice, client = found
    rows = session.exec(
        select(ReminderSent, ReminderLevel.name, InvoiceFee.amount, EmailOutbox.status)
        .outerjoin(ReminderLevel, ReminderLevel.id == ReminderSent.level)
        .outerjoin(InvoiceFee, and_(InvoiceFee.invoice_id == ReminderSent.invoice_id,
                                    InvoiceFee.level == ReminderSent.level))
        .outerjoin(EmailOutbox, EmailOutbox.id == ReminderSent.outbox_id)
        .where(ReminderSent.invoice_id == invoice_id)
        .order_by(ReminderSent.sent_at, ReminderSent.id)).all()
    sent = [ReminderSentRow(name or "(removed level)", row.sent_at, fee,
                            str(status) if status is not None else None)
            for row, name, fee, status in rows]
    levels = reminder_levels(session)
    takes_reminders = session.exec(select(exists().where(
        Invoice.id == invoice_id, Client.id == Invoice.client_id, _remindable()))).one()
    following = step_next([Step(level.id, level.days) for level in levels], invoice.due_date,
                          today, {row.level for row, *_ in rows})
    next_reminder = None
    if takes_reminders and following is not None:
        level = next(level for level in levels if level.id == following.id)
        next_reminder = NextReminder(level.name, step_date(invoice.due_date, following))
    return InvoiceReminders(
        currency=invoice.currency, sent=sent, next=next_reminder,
        paused_reason=invoice.reminders_pause_reason or client.reminders_pause_reason,
        client_paused=client.reminders_paused_at is not None)
