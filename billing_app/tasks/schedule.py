"""The beat schedule: periodic work, by registered task name."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "health.heartbeat",
        "schedule": crontab(),  # every minute: /api/v1/health calls the worker stale after 3
    },
    "purge-expired-sessions": {
        "task": "sessions.purge_expired",
        "schedule": crontab(minute=0),  # hourly, on the hour
    },
    "mark-overdue-invoices": {
        "task": "invoices.mark_overdue",
        # hourly: the company's midnight (its time zone) falls on some hour; repeats change nothing
        "schedule": crontab(minute=30),
    },
    "send-due-reminders": {
        "task": "reminders.scan",
        "schedule": crontab(minute="*/15"),  # works from the invoices' state: catches up
    },
    "sweep-email-outbox": {
        "task": "mail.sweep_outbox",
        "schedule": crontab(),  # every minute: emails queued while the broker was down go out
    },
    "snapshot-receivables": {
        "task": "reports.snapshot_receivables",
        # hourly: the company's midnight falls on some hour; a repeat rewrites the same day
        "schedule": crontab(minute=45),
    },
    "resume-stale-bulk-jobs": {
        "task": "bulk.resume_stale",
        "schedule": crontab(minute="*/5"),  # a bulk job whose worker died goes on within minutes
    },
}
