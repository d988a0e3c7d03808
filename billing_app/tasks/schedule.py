"""The beat schedule: periodic work, by registered task name."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "purge-expired-sessions": {
        "task": "sessions.purge_expired",
        "schedule": crontab(minute=0),  # hourly, on the hour
    },
    "mark-overdue-invoices": {
        "task": "invoices.mark_overdue",
        "schedule": crontab(hour=0, minute=30),  # daily, just after midnight UTC
    },
}
