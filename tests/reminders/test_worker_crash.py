"""A reminder run killed with SIGKILL halfway, on a real worker on Redis: after a restart
every due reminder reaches the SMTP server exactly once.

The scan commits one invoice at a time and queues each email after its commit; the killed run
is delivered again (task_acks_late, a short visibility timeout here) and finds the reminders
already sent from the invoices' state; the unique (invoice, level) row and the sender's claim
keep every email single."""

import re
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.db import make_engine, session_scope
from billing_app.models.messaging import ReminderSent
from billing_app.models.invoices import Invoice
from billing_app.settings import Settings
from billing_app.tasks.celery_app import make_celery
from tests.conftest import migrate
from tests.support.killable_worker import KillableWorker
from tests.support.reminder_data import SCAN_DAY, seed_due_invoices
from tests.support.smtp import smtp_server  # noqa: F401  (a fixture)

pytestmark = pytest.mark.slow
INVOICES = 200
KILL_AFTER = 40  # reminders committed before the kill


def _sent_count(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(ReminderSent)).one()


def test_killed_reminder_run_sends_every_reminder_exactly_once(pg_server, redis_server,
                                                               smtp_server, tmp_path):  # noqa: F811
    url = pg_server.create_database(f"reminder_crash_{uuid.uuid4().hex[:8]}")
    migrate(url)
    seed_due_invoices(url, INVOICES)
    engine = make_engine(url)
    redis_url = redis_server.url.rsplit("/", 1)[0] + "/7"  # a broker database of its own
    smtp_server.clear()
    worker = KillableWorker({"DATABASE_URL": url, "REDIS_URL": redis_url,
                             "DATA_DIR": str(tmp_path), "CELERY_VISIBILITY_TIMEOUT_SECONDS": "10",
                             **smtp_server.env()}, tmp_path)
    client = make_celery(Settings(redis_url=redis_url, data_dir=tmp_path))
    try:
        worker.start()
        client.send_task("reminders.scan", kwargs={"today": SCAN_DAY.isoformat()})
        deadline = time.monotonic() + 180
        while _sent_count(engine) < KILL_AFTER:
            assert time.monotonic() < deadline, worker.logs()
            time.sleep(0.05)
        worker.kill()
        at_kill = _sent_count(engine)
        assert KILL_AFTER <= at_kill < INVOICES  # killed in the middle of the run

        worker.start()
        smtp_server.wait_for(INVOICES, timeout=300)
        time.sleep(5)  # anything sent twice would arrive now
    finally:
        worker.stop()
        client.close()

    with session_scope(engine) as session:
        numbers = set(session.exec(select(Invoice.number)).all())
        per_invoice = session.exec(select(func.count(ReminderSent.invoice_id.distinct()),
                                          func.count())).one()
    engine.dispose()
    subjects = Counter(re.search(r"INV-\S+", message["Subject"]).group(0)
                       for message in smtp_server.messages)
    assert set(subjects) == numbers and len(numbers) == INVOICES
    assert set(subjects.values()) == {1}, [n for n, c in subjects.items() if c > 1]
    assert per_invoice == (INVOICES, INVOICES)
