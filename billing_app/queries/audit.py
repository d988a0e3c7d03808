"""The audit log read one page at a time, filtered by who, what, which record and when."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.models.audit import AuditLog
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment
from billing_app.models.users import User

SYSTEM = 0  # the actor filter's value for entries no user made (the worker, the bank, a webhook)


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None  # a user's id, SYSTEM, or None for everyone
    action: str = ""  # one action, e.g. "invoice.issue"
    entity_type: str = ""  # e.g. "invoice"
    record: str = ""  # a record's id, or an invoice number (with entity_type "invoice" or none)
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str | None
    details: dict | None


@dataclass(frozen=True)
class AuditChoices:
    users: list[tuple[int, str]]  # (id, name) of everyone who has an entry
    actions: list[str]
    entity_types: list[str]


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _invoice_id_of_number(session: Session, number: str) -> str | None:
    found = session.exec(select(Invoice.id).where(func.lower(Invoice.number) == number.lower())).first()
    return None if found is None else str(found)


def _filtered(session: Session, statement, f: AuditFilter):
    if f.actor_id == SYSTEM:
        statement = statement.where(AuditLog.actor_user_id.is_(None))
    elif f.actor_id is not None:
        statement = statement.where(AuditLog.actor_user_id == f.actor_id)
    if f.action:
        statement = statement.where(AuditLog.action == f.action)
    if f.entity_type:
        statement = statement.where(AuditLog.entity_type == f.entity_type)
    record = f.record.strip()
    if record:
        invoice_id = None if f.entity_type not in ("", "invoice") else _invoice_id_of_number(session, record)
        if invoice_id is not None:
            statement = statement.where(AuditLog.entity_type == "invoice", AuditLog.entity_id == invoice_id)
        else:
            statement = statement.where(AuditLog.entity_id == record)
    if f.date_from is not None:
        statement = statement.where(AuditLog.at >= _utc_midnight(f.date_from))
    if f.date_to is not None:
        statement = statement.where(AuditLog.at < _utc_midnight(f.date_to + timedelta(days=1)))
    return statement


def audit_page(session: Session, *, actor: User, filters: AuditFilter = AuditFilter(), offset: int = 0,
               limit: int = 50) -> tuple[list[AuditRow], int]:
    """One page of the log, newest first, and how many entries match in all."""
    require(actor, Action.AUDIT_READ)
    total = session.exec(_filtered(session, select(func.count()).select_from(AuditLog), filters)).one()
    rows = session.exec(
        _filtered(session, select(AuditLog, User.name).outerjoin(User, User.id == AuditLog.actor_user_id),
                  filters)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        AuditRow(entry.id, entry.at, name or "System", entry.action, entry.entity_type, entry.entity_id,
                 entry.details)
        for entry, name in rows
    ], total


def audit_choices(session: Session, *, actor: User) -> AuditChoices:
    """What the filters offer: the people, actions and record types the log holds."""
    require(actor, Action.AUDIT_READ)
    people = session.exec(
        select(User.id, User.name).where(User.id.in_(select(AuditLog.actor_user_id).distinct()))
        .order_by(User.name)
    ).all()
    actions = session.exec(select(AuditLog.action).distinct().order_by(AuditLog.action)).all()
    types = session.exec(select(AuditLog.entity_type).distinct().order_by(AuditLog.entity_type)).all()
    return AuditChoices([(user_id, name) for user_id, name in people], list(actions), list(types))


# the records an entry can name by something better than its id: type -> (model, column)
_NAMED_RECORDS = {
    "invoice": (Invoice, Invoice.number),
    "client": (Client, Client.name),
    "payment": (Payment, Payment.reference),
    "user": (User, User.name),
}


def record_names(session: Session, rows: list[AuditRow]) -> dict[tuple[str, str], str]:
    """{(entity type, id): the record's number or name} for the rows' invoices, clients,
    payments and users, one query per type."""
    names: dict[tuple[str, str], str] = {}
    for entity_type, (model, column) in _NAMED_RECORDS.items():
        ids = {int(row.entity_id) for row in rows
               if row.entity_type == entity_type and (row.entity_id or "").isdigit()}
        if ids:
            for record_id, name in session.exec(select(model.id, column).where(model.id.in_(ids))).all():
                if name:
                    names[(entity_type, str(record_id))] = name
    return names


def audit_export_query(session: Session, *, actor: User, filters: AuditFilter = AuditFilter()):
    """The entries the filters keep, newest first, for an export to stream: (at, who, action,
    entity type, entity id, details)."""
    require(actor, Action.AUDIT_READ)
    return _filtered(
        session,
        select(AuditLog.at, func.coalesce(User.name, "System"), AuditLog.action,
               AuditLog.entity_type, AuditLog.entity_id, AuditLog.details)
        .outerjoin(User, User.id == AuditLog.actor_user_id),
        filters,
    ).order_by(AuditLog.at.desc(), AuditLog.id.desc())
