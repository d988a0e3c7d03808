"""The schedule and time zone in Settings, the pause switches, and who may change them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from billing_app.errors import Conflict, PermissionDenied, ValidationFailed
from billing_app.models.audit import AuditLog
from billing_app.queries.company import company_today
from billing_app.queries.reminders import invoice_reminders, reminder_levels_list, reminders_due
from billing_app.services.invoices import invoices_mark_overdue
from billing_app.services.reminders import (
    client_reminders_pause,
    company_time_zone_set,
    invoice_reminders_pause,
    reminder_level_create,
    reminder_level_delete,
    reminder_send,
)
from tests.reminders.conftest import DUE


def test_levels_are_validated_and_ordered(db, levels, admin):
    with pytest.raises(ValidationFailed, match="already 14 days"):
        reminder_level_create(db, actor=admin, data={"days": 14, "name": "Twice"})
    with pytest.raises(ValidationFailed, match="100%"):
        reminder_level_create(db, actor=admin, data={"days": 60, "name": "Steep",
                                                     "fee_kind": "percent", "fee_value": "150"})
    with pytest.raises(ValidationFailed, match="reminder:<name>"):
        reminder_level_create(db, actor=admin, data={"days": 60, "name": "Odd",
                                                     "template_key": "invoice_sent"})
    with pytest.raises(ValidationFailed, match="kind of late fee") as refused:
        reminder_level_create(db, actor=admin, data={"days": 60, "name": "Vague",
                                                     "fee_kind": "", "fee_value": "3"})
    assert refused.value.field == "fee_value"
    reminder_level_create(db, actor=admin, data={"days": 1, "name": "Nudge",
                                                 "fee_kind": "fixed", "fee_value": "2.50"})
    reminder_level_create(db, actor=admin, data={"days": "2", "name": "As the form sends it",
                                                 "template_key": "reminder", "fee_kind": "",
                                                 "fee_value": ""})

    assert [level.days for level in reminder_levels_list(db, actor=admin)] == [
        -3, 1, 2, 7, 14, 30]


def test_only_admins_change_the_schedule_and_a_used_level_stays(db, levels, admin, accountant,
                                                                issued):
    with pytest.raises(PermissionDenied):
        reminder_level_create(db, actor=accountant, data={"days": 2, "name": "Mine"})
    with pytest.raises(PermissionDenied):
        reminder_levels_list(db, actor=accountant)
    invoice = issued()
    reminder_send(db, invoice_id=invoice.id, today=DUE + timedelta(days=7))

    with pytest.raises(Conflict, match="sent already"):
        reminder_level_delete(db, actor=admin, level_id=levels["First"].id)
    reminder_level_delete(db, actor=admin, level_id=levels["Final"].id)
    assert [level.name for level in reminder_levels_list(db, actor=admin)] == [
        "Friendly", "First", "Second"]


def test_pausing_needs_a_reason_a_writer_and_is_audited(db, levels, issued, accountant, viewer):
    invoice = issued()
    with pytest.raises(PermissionDenied):
        invoice_reminders_pause(db, actor=viewer, invoice_id=invoice.id, reason="Disputed")
    with pytest.raises(PermissionDenied):
        client_reminders_pause(db, actor=viewer, client_id=invoice.client_id, reason="Disputed")
    with pytest.raises(ValidationFailed, match="reason"):
        invoice_reminders_pause(db, actor=accountant, invoice_id=invoice.id, reason="  ")

    invoice_reminders_pause(db, actor=accountant, invoice_id=invoice.id, reason="Disputed")

    entry = db.exec(select(AuditLog).where(AuditLog.action == "invoice.reminders_pause",
                                           AuditLog.entity_id == str(invoice.id))).one()
    assert entry.details == {"reason": "Disputed"}
    assert invoice_reminders(db, actor=viewer, invoice_id=invoice.id,
                             today=DUE).paused_reason == "Disputed"


def test_time_zone_is_validated(db, company, admin, accountant):
    with pytest.raises(ValidationFailed, match="not a time zone"):
        company_time_zone_set(db, actor=admin, time_zone="Mars/Olympus")
    with pytest.raises(PermissionDenied):
        company_time_zone_set(db, actor=accountant, time_zone="Europe/Berlin")
    assert company_time_zone_set(db, actor=admin, time_zone="Europe/Berlin").time_zone == \
        "Europe/Berlin"


def test_today_is_the_company_date_not_the_utc_date(db, levels, issued, admin):
    invoice = issued()
    # 03:00 UTC on the 7th day after the due date is still the evening of the 6th in Los Angeles
    now = datetime.combine(DUE + timedelta(days=7), datetime.min.time(), UTC) + timedelta(hours=3)
    company_time_zone_set(db, actor=admin, time_zone="America/Los_Angeles")
    la_today = company_today(db, now=now)
    company_time_zone_set(db, actor=admin, time_zone="Pacific/Auckland")
    auckland_today = company_today(db, now=now - timedelta(hours=14))  # 13:00 UTC the day before

    assert la_today == DUE + timedelta(days=6) and now.date() == DUE + timedelta(days=7)
    assert auckland_today == DUE + timedelta(days=7)
    due_in_la = [level for i, level in reminders_due(db, today=la_today) if i == invoice.id]
    assert due_in_la == [levels["Friendly"].id]  # not yet the +7 level


def test_overdue_marking_uses_the_company_date(db, company, issued, admin):
    invoice = issued()
    company_time_zone_set(db, actor=admin, time_zone="America/Los_Angeles")
    just_after_utc_midnight = datetime.combine(DUE + timedelta(days=1), datetime.min.time(), UTC)

    invoices_mark_overdue(db, today=company_today(db, now=just_after_utc_midnight))
    db.refresh(invoice)
    assert invoice.status != "overdue"  # still the due date in Los Angeles
    invoices_mark_overdue(db, today=company_today(
        db, now=just_after_utc_midnight + timedelta(hours=9)))
    db.refresh(invoice)
    assert invoice.status == "overdue"
