"""The reminder schedule in Settings: levels relative to the due date, and the company's time
zone that decides when a day (and so a level's date) has come."""

import re
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from sqlalchemy import exists
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import parse_money
from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.mail.templates_store import template_spec
from billing_app.models.company import Company
from billing_app.models.messaging import ReminderSent
from billing_app.models.reminders import FeeKind, InvoiceFee, ReminderLevel
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.services.audit import audit_record
from billing_app.models.inputs import optional, text
from billing_app.services.records import save_changes, save_new
from billing_app.services.validation import validated

REMINDER_TEMPLATE = "reminder"
_VARIANT = re.compile(r"[a-z0-9_-]{1,40}")
_PERCENT_LIMIT = Decimal(100)
_FEE_LIMIT = Decimal(10) ** 9


def _template_key(value: str) -> str:
    """"reminder", or one of its variants "reminder:<name>" that an admin edits on its own."""
    base, _, variant = value.partition(":")
    if base != REMINDER_TEMPLATE or (variant and not _VARIANT.fullmatch(variant)) or (
            ":" in value and not variant):
        raise ValueError("use reminder or reminder:<name> (small letters, digits, - or _), "
                         "such as reminder:final.")
    template_spec(value)
    return value


def _fee_value(value):
    """A typed amount ("2.50"), blank for none, or a Decimal from code; floats are not exact."""
    if isinstance(value, str):
        return parse_money(value) if value.strip() else None
    if isinstance(value, float):
        raise ValueError("write the amount as text, like 2.50.")
    return value


class ReminderLevelIn(BaseModel):
    """A level as the settings form or code gives it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    days: int = Field(ge=-365, le=365)
    name: text(100)
    template_key: Annotated[text(60), AfterValidator(_template_key)] = REMINDER_TEMPLATE
    fee_kind: optional(FeeKind) = None
    fee_value: Annotated[Decimal | None, BeforeValidator(_fee_value)] = Field(
        default=None, validate_default=True)

    @field_validator("fee_value")
    @classmethod
    def _fee_fits(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        kind = info.data.get("fee_kind")
        if kind is None:
            if value:
                raise ValueError("choose the kind of late fee (fixed or percent), or leave "
                                 "the amount empty.")
            return None
        if value is None or not value.is_finite() or value <= 0:
            raise ValueError("a late fee needs an amount above 0.")
        if value != value.quantize(Decimal("0.0001")):
            raise ValueError("a late fee can have at most 4 decimal places.")
        if kind == FeeKind.PERCENT and value > _PERCENT_LIMIT:
            raise ValueError("a late fee cannot be more than 100% of the amount due.")
        if value >= _FEE_LIMIT:
            raise ValueError("the late fee is too large.")
        return value


def _level(session: Session, level_id: int) -> ReminderLevel:
    level = session.get(ReminderLevel, level_id)
    if level is None:
        raise NotFound("That reminder level does not exist.")
    return level


def _days_free(session: Session, days: int, exclude_id: int | None) -> None:
    conditions = [ReminderLevel.days == days]
    if exclude_id is not None:
        conditions.append(ReminderLevel.id != exclude_id)
    if session.exec(select(exists().where(*conditions))).one():
        raise ValidationFailed(f"Another level is already {days} days from the due date.",
                               field="days")


def reminder_level_create(session: Session, *, actor: User, data: dict) -> ReminderLevel:
    require(actor, Action.SETTINGS_MANAGE)
    payload = validated(ReminderLevelIn, data)
    _days_free(session, payload.days, None)
    level = ReminderLevel(**payload.model_dump())
    save_new(session, actor=actor, row=level, entity_type="reminder_level",
             details={"days": level.days, "name": level.name})
    return level


def reminder_level_update(session: Session, *, actor: User, level_id: int,
                          data: dict) -> ReminderLevel:
    """Change a level; invoices that got it keep it as sent, even if its days move."""
    require(actor, Action.SETTINGS_MANAGE)
    level = _level(session, level_id)
    payload = validated(ReminderLevelIn, data)
    _days_free(session, payload.days, level.id)
    save_changes(session, actor=actor, row=level, payload=payload, entity_type="reminder_level")
    return level


def reminder_level_delete(session: Session, *, actor: User, level_id: int) -> None:
    """Remove a level that no invoice got yet; a used one is part of invoices' history."""
    require(actor, Action.SETTINGS_MANAGE)
    level = _level(session, level_id)
    used = session.exec(select(exists().where(ReminderSent.level == level.id))).one() or \
        session.exec(select(exists().where(InvoiceFee.level == level.id))).one()
    if used:
        raise Conflict(f"Reminders of the level {level.name!r} were sent already; change its "
                       "days, template or fee instead of removing it.")
    session.delete(level)
    audit_record(session, actor=actor, action="reminder_level.delete", entity_type="reminder_level",
                 entity_id=level_id, details={"days": level.days, "name": level.name})
    session.flush()


def _zone_name(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a time zone; use a name such as Europe/Berlin.") from None
    if value not in available_timezones():  # not a path into the tz database, e.g. "posixrules"
        raise ValueError(f"{value!r} is not a time zone; use a name such as Europe/Berlin.")
    return value


class TimeZoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    time_zone: Annotated[text(60), AfterValidator(_zone_name)]


def company_time_zone_set(session: Session, *, actor: User, time_zone: str) -> Company:
    """The zone whose midnight starts the company's day for overdue marking and reminders."""
    require(actor, Action.SETTINGS_MANAGE)
    company = current_company(session)
    payload = validated(TimeZoneIn, {"time_zone": time_zone})
    save_changes(session, actor=actor, row=company, payload=payload, entity_type="company")
    return company
