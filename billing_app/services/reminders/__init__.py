"""Dunning: the reminder schedule, pausing, and sending the reminder an invoice is due for."""

from billing_app.services.reminders.levels import (
    ReminderLevelIn,
    company_time_zone_set,
    reminder_level_create,
    reminder_level_delete,
    reminder_level_update,
)
from billing_app.services.reminders.pausing import client_reminders_pause, invoice_reminders_pause
from billing_app.services.reminders.sending import reminder_send

__all__ = [
    "ReminderLevelIn", "client_reminders_pause", "company_time_zone_set", "invoice_reminders_pause",
    "reminder_level_create", "reminder_level_delete", "reminder_level_update", "reminder_send",
]
