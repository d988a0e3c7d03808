"""Reminders: an invoice's reminders sent and next, pausing them per invoice or client, and
the schedule (admins)."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from billing_app.api.deps import DbSession, requires
from billing_app.api.schemas import DbId
from billing_app.api.shapes import PERCENT_TEXT, amount_text, decimal_text
from billing_app.auth.permissions import Action
from billing_app.models.inputs import decimal_pattern
from billing_app.models.reminders import FeeKind, ReminderLevel
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.queries.reminders import InvoiceReminders, invoice_reminders, reminder_levels_list
from billing_app.services.reminders import (
    client_reminders_pause,
    invoice_reminders_pause,
    reminder_level_create,
    reminder_level_delete,
    reminder_level_update,
)
from billing_app.services.reminders.pausing import MAX_REASON

router = APIRouter(tags=["reminders"])
Reader = Annotated[User, Depends(requires(Action.INVOICES_READ))]
InvoiceWriter = Annotated[User, Depends(requires(Action.INVOICES_WRITE))]
ClientWriter = Annotated[User, Depends(requires(Action.CLIENTS_WRITE))]
Admin = Annotated[User, Depends(requires(Action.SETTINGS_MANAGE))]
Id = Annotated[DbId, Path()]


class PauseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(description="Why no reminders go out, e.g. disputed.",
                        json_schema_extra={"pattern": r"\S", "maxLength": MAX_REASON})


class ReminderSentOut(BaseModel):
    level: str
    sent_at: datetime
    fee: str | None = Field(description="The late fee this level charged, if any.")
    email_status: str | None


class NextReminderOut(BaseModel):
    level: str
    on: date = Field(description="Its date; today or earlier: the next scan sends it.")


class InvoiceRemindersOut(BaseModel):
    sent: list[ReminderSentOut]
    next: NextReminderOut | None = Field(
        description="None when no level is left or the invoice takes no reminders.")
    paused_reason: str | None = Field(description="The invoice's pause, else its client's.")

    @classmethod
    def of(cls, view: InvoiceReminders) -> "InvoiceRemindersOut":
        return cls(
            sent=[ReminderSentOut(level=row.level_name, sent_at=row.sent_at,
                                  fee=amount_text(row.fee, view.currency),
                                  email_status=row.email_status) for row in view.sent],
            next=None if view.next is None else NextReminderOut(level=view.next.level_name,
                                                                on=view.next.on),
            paused_reason=view.paused_reason)


def _reminders(session: Session, actor: User, invoice_id: int) -> InvoiceRemindersOut:
    return InvoiceRemindersOut.of(invoice_reminders(session, actor=actor, invoice_id=invoice_id,
                                                    today=company_today(session)))


@router.get("/invoices/{invoice_id}/reminders")
def invoice_reminders_get(invoice_id: Id, session: DbSession,
                          actor: Reader) -> InvoiceRemindersOut:
    return _reminders(session, actor, invoice_id)


@router.post("/invoices/{invoice_id}/reminders/pause")
def invoice_reminders_pause_post(invoice_id: Id, body: PauseBody, session: DbSession,
                                 actor: InvoiceWriter) -> InvoiceRemindersOut:
    invoice_reminders_pause(session, actor=actor, invoice_id=invoice_id, reason=body.reason)
    return _reminders(session, actor, invoice_id)


@router.post("/invoices/{invoice_id}/reminders/resume")
def invoice_reminders_resume_post(invoice_id: Id, session: DbSession,
                                  actor: InvoiceWriter) -> InvoiceRemindersOut:
    invoice_reminders_pause(session, actor=actor, invoice_id=invoice_id, reason=None)
    return _reminders(session, actor, invoice_id)


@router.post("/clients/{client_id}/reminders/pause", status_code=status.HTTP_204_NO_CONTENT)
def client_reminders_pause_post(client_id: Id, body: PauseBody, session: DbSession,
                                actor: ClientWriter) -> None:
    client_reminders_pause(session, actor=actor, client_id=client_id, reason=body.reason)


@router.post("/clients/{client_id}/reminders/resume", status_code=status.HTTP_204_NO_CONTENT)
def client_reminders_resume_post(client_id: Id, session: DbSession, actor: ClientWriter) -> None:
    client_reminders_pause(session, actor=actor, client_id=client_id, reason=None)


_FEE_TEXT = decimal_pattern(9, positive=True)
"""A late fee: more than 0, less than a billion, at most 4 decimals."""


class ReminderLevelBody(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [
        {"if": {"properties": {"fee_kind": {"enum": [kind.value for kind in FeeKind]}},
                "required": ["fee_kind"]},
         "then": {"properties": {"fee_value": {"type": "string", "pattern": _FEE_TEXT}},
                  "required": ["fee_value"]},
         "else": {"properties": {"fee_value": {"type": "null"}}}},
        {"if": {"properties": {"fee_kind": {"const": FeeKind.PERCENT.value}}, "required": ["fee_kind"]},
         "then": {"properties": {"fee_value": {"pattern": PERCENT_TEXT}}}},
    ]})

    days: int = Field(description="After the due date; negative: before it. Each level has "
                                  "days of its own.",
                      json_schema_extra={"minimum": -365, "maximum": 365})
    name: str = Field(json_schema_extra={"pattern": r"\S", "maxLength": 100})
    template_key: str = Field(default="reminder", description='"reminder" or "reminder:<name>".',
                              json_schema_extra={"pattern": r"^reminder(:[a-z0-9_-]{1,40})?$"})
    fee_kind: FeeKind | None = None
    fee_value: str | None = Field(default=None, description="An amount, or a percent of the "
                                                           "amount due (at most 100): more than 0, "
                                                           "at most 4 decimals; only with fee_kind.")


class ReminderLevelOut(BaseModel):
    id: int
    days: int
    name: str
    template_key: str
    fee_kind: FeeKind | None
    fee_value: str | None

    @classmethod
    def of(cls, level: ReminderLevel) -> "ReminderLevelOut":
        return cls(id=level.id, days=level.days, name=level.name, template_key=level.template_key,
                   fee_kind=level.fee_kind,
                   fee_value=None if level.fee_value is None else decimal_text(level.fee_value))


@router.get("/reminder-levels")
def reminder_levels_get(session: DbSession, actor: Admin) -> list[ReminderLevelOut]:
    return [ReminderLevelOut.of(level) for level in reminder_levels_list(session, actor=actor)]


@router.post("/reminder-levels", status_code=status.HTTP_201_CREATED)
def reminder_levels_post(body: ReminderLevelBody, session: DbSession,
                         actor: Admin) -> ReminderLevelOut:
    return ReminderLevelOut.of(reminder_level_create(session, actor=actor,
                                                     data=body.model_dump()))


@router.put("/reminder-levels/{level_id}")
def reminder_levels_put(level_id: Id, body: ReminderLevelBody, session: DbSession,
                        actor: Admin) -> ReminderLevelOut:
    return ReminderLevelOut.of(reminder_level_update(session, actor=actor, level_id=level_id,
                                                     data=body.model_dump()))


@router.delete("/reminder-levels/{level_id}", status_code=status.HTTP_204_NO_CONTENT)
def reminder_levels_delete(level_id: Id, session: DbSession, actor: Admin) -> None:
    reminder_level_delete(session, actor=actor, level_id=level_id)
