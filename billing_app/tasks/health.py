"""The heartbeat beat sends every minute; /api/v1/health reports its age."""

from celery import shared_task

from billing_app.db import session_scope
from billing_app.services.health import heartbeat_record


@shared_task(name="health.heartbeat")
def heartbeat() -> str:
    with session_scope() as session:
        return heartbeat_record(session).isoformat()
