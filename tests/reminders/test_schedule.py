"""Which level an invoice gets, worked out from its current state on the day of the scan."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from billing_app.domain.reminders import Step, step_due, step_next
from billing_app.models.messaging import ReminderSent
from billing_app.queries.reminders import invoice_reminders, reminders_due
from billing_app.services.invoices import invoice_cancel
from billing_app.services.payments import credit_note_issue, payment_record
from billing_app.services.reminders import (
    client_reminders_pause,
    invoice_reminders_pause,
    reminder_level_update,
    reminder_send,
)
from billing_app.tasks.celery_app import celery_app
from billing_app.tasks.reminders import scan_reminders
from tests.reminders.conftest import DUE, emails_of

STEPS = [Step(1, -3), Step(2, 7), Step(3, 14), Step(4, 30)]


@pytest.mark.parametrize(("day", "sent", "expected"), [
    (-4, set(), None),  # before the first level's date
    (-3, set(), 1),  # 3 days before the due date
    (0, {1}, None),  # the friendly one went out; nothing new until +7
    (7, {1}, 2),
    (20, set(), 3),  # missed -3 and +7 (downtime): only the latest due one
    (45, {2}, 4),
    (45, {4}, None),
    (16, {4}, None),  # a later level was sent (schedule changed since): never go back down
])
def test_step_due(day, sent, expected):
    due_date = date(2031, 1, 10)
    step = step_due(STEPS, due_date, due_date + timedelta(days=day), sent)
    assert (step.id if step else None) == expected


def test_step_next_names_the_coming_level_or_the_one_due_now():
    due_date = date(2031, 1, 10)
    assert step_next(STEPS, due_date, due_date, {1}).id == 2
    assert step_next(STEPS, due_date, due_date + timedelta(days=20), set()).id == 3
    assert step_next(STEPS, due_date, due_date + timedelta(days=40), {4}) is None


def _due_ids(db, invoice, today) -> list[int]:
    return [level for invoice_id, level in reminders_due(db, today=today)
            if invoice_id == invoice.id]


def _sent_levels(db, invoice) -> list[int]:
    return list(db.exec(select(ReminderSent.level).where(ReminderSent.invoice_id == invoice.id)
                        .order_by(ReminderSent.id)).all())


def test_before_due_then_after_due(db, levels, issued):
    invoice = issued()
    assert _due_ids(db, invoice, DUE - timedelta(days=4)) == []
    assert reminder_send(db, invoice_id=invoice.id, today=DUE - timedelta(days=3)) is not None
    assert reminder_send(db, invoice_id=invoice.id, today=DUE) is None  # sent already
    assert reminder_send(db, invoice_id=invoice.id, today=DUE + timedelta(days=7)) is not None

    assert _sent_levels(db, invoice) == [levels["Friendly"].id, levels["First"].id]
    assert len(emails_of(db, invoice.id)) == 2


def test_catch_up_sends_only_the_latest_due_level(db, levels, issued):
    invoice = issued()
    today = DUE + timedelta(days=20)  # -3 and +7 were missed while the worker was down

    assert _due_ids(db, invoice, today) == [levels["Second"].id]
    assert reminder_send(db, invoice_id=invoice.id, today=today) is not None
    assert reminder_send(db, invoice_id=invoice.id, today=today) is None
    assert _sent_levels(db, invoice) == [levels["Second"].id]
    assert _due_ids(db, invoice, today + timedelta(days=5)) == []  # nothing below it, later


def test_paused_client_or_invoice_gets_none(db, levels, issued, accountant):
    paused_invoice, other_invoice = issued(), issued()
    today = DUE + timedelta(days=8)
    invoice_reminders_pause(db, actor=accountant, invoice_id=paused_invoice.id, reason="Disputed line 2")
    assert _due_ids(db, paused_invoice, today) == []
    assert _due_ids(db, other_invoice, today) == [levels["First"].id]

    client_reminders_pause(db, actor=accountant, client_id=other_invoice.client_id,
                           reason="Disputed")
    assert _due_ids(db, other_invoice, today) == []
    assert reminder_send(db, invoice_id=other_invoice.id, today=today) is None
    view = invoice_reminders(db, actor=accountant, invoice_id=other_invoice.id, today=today)
    assert (view.next, view.paused_reason, view.client_paused) == (None, "Disputed", True)

    client_reminders_pause(db, actor=accountant, client_id=other_invoice.client_id, reason=None)
    invoice_reminders_pause(db, actor=accountant, invoice_id=paused_invoice.id, reason=None)
    assert _due_ids(db, paused_invoice, today) == [levels["First"].id]


def test_settled_cancelled_and_fully_credited_invoices_get_none(db, levels, issued, accountant):
    paid, cancelled, credited = issued(), issued(), issued()
    today = DUE + timedelta(days=8)
    payment_record(db, actor=accountant, today=DUE, send_receipt=False, data={
        "client_id": paid.client_id, "payment_date": DUE, "amount": paid.total,
        "allocations": [{"invoice_id": paid.id, "amount": paid.total}]})
    invoice_cancel(db, actor=accountant, invoice_id=cancelled.id, reason="Wrong client", today=DUE)
    credit_note_issue(db, actor=accountant, invoice_id=credited.id, today=DUE,
                      data={"amount": credited.total, "reason": "Returned"})

    for invoice in (paid, cancelled, credited):
        assert _due_ids(db, invoice, today) == []
        assert reminder_send(db, invoice_id=invoice.id, today=today) is None


def test_schedule_changes_apply_to_the_next_run(db, levels, issued, admin, accountant):
    invoice = issued()
    today = DUE + timedelta(days=8)
    reminder_level_update(db, actor=admin, level_id=levels["First"].id, data={
        "days": 10, "name": "First", "template_key": "reminder:first"})
    assert _due_ids(db, invoice, today) == [levels["Friendly"].id]  # +7 moved to +10

    reminder_send(db, invoice_id=invoice.id, today=DUE + timedelta(days=10))
    view = invoice_reminders(db, actor=accountant, invoice_id=invoice.id, today=today)
    assert [row.level_name for row in view.sent] == ["First"]
    assert (view.next.level_name, view.next.on) == ("Second", DUE + timedelta(days=14))
    # moving a sent level later never sends it again
    reminder_level_update(db, actor=admin, level_id=levels["First"].id, data={
        "days": 12, "name": "First", "template_key": "reminder:first"})
    assert _due_ids(db, invoice, DUE + timedelta(days=12)) == []


def test_the_scan_is_on_the_beat_every_15_minutes():
    entry = celery_app.conf.beat_schedule["send-due-reminders"]
    assert entry["task"] == scan_reminders.name
    assert entry["schedule"].minute == {0, 15, 30, 45}
    assert entry["schedule"].hour == set(range(24))
