"""The Celery app, configured from the settings: Redis when REDIS_URL is set, else an embedded
SQLite broker and result store in the data directory (`worker -B --pool=solo` runs it all)."""

from celery import Celery, signals

from billing_app.log_setup import configure_logging
from billing_app.settings import Settings, get_settings
from billing_app.tasks.schedule import BEAT_SCHEDULE

TASK_MODULES = ["billing_app.tasks.sessions", "billing_app.tasks.invoices",
                "billing_app.tasks.reminders", "billing_app.tasks.bulk", "billing_app.tasks.mail",
                "billing_app.tasks.reports", "billing_app.tasks.health"]


def make_celery(settings: Settings) -> Celery:
    app = Celery(
        "billing_app",
        broker=settings.celery_broker_url,
        backend=settings.celery_result_backend,
        include=TASK_MODULES,
    )
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        task_acks_late=True,
        # Redis only (the SQLite transport hands its options to create_engine)
        broker_transport_options=({"visibility_timeout": settings.celery_visibility_timeout_seconds}
                                  if settings.redis_url else {}),
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        beat_schedule=BEAT_SCHEDULE,
        beat_schedule_filename=str(settings.data_dir / "celerybeat-schedule"),
    )
    return app


@signals.setup_logging.connect
def _structured_logs(**_options) -> None:
    """The worker and beat log JSON lines like the web app (instead of Celery's own format)."""
    configure_logging()


celery_app = make_celery(get_settings())
