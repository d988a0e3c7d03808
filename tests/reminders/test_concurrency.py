"""Two scans at once, in two OS processes with their own connections, on PostgreSQL: every
due reminder is recorded and queued exactly once."""

import os
import subprocess
import sys
import uuid

from sqlalchemy import func
from sqlmodel import select

from billing_app.db import make_engine, session_scope
from billing_app.models.messaging import EmailOutbox, ReminderSent
from billing_app.settings import PROJECT_ROOT
from tests.conftest import migrate
from tests.support.reminder_data import SCAN_DAY, seed_due_invoices

SCAN = ("import sys; from datetime import date; from billing_app.tasks.reminders import "
        "reminders_run; print(reminders_run(date.fromisoformat(sys.argv[1])))")


def test_two_concurrent_scans_send_each_reminder_once(pg_server, tmp_path):
    url = pg_server.create_database(f"reminders_{uuid.uuid4().hex[:10]}")
    migrate(url)
    invoice_ids = seed_due_invoices(url, 40)
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(tmp_path)}
    env.pop("REDIS_URL", None)  # the sends are queued to an embedded broker nobody reads

    scanners = [subprocess.Popen([sys.executable, "-c", SCAN, SCAN_DAY.isoformat()],
                                 cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [scanner.communicate(timeout=300) for scanner in scanners]

    assert [scanner.returncode for scanner in scanners] == [0, 0], results
    sent_counts = [int(out.strip().splitlines()[-1]) for out, _ in results]
    assert sum(sent_counts) == len(invoice_ids)
    engine = make_engine(url)
    with session_scope(engine) as session:
        per_invoice = session.exec(
            select(ReminderSent.invoice_id, func.count()).group_by(ReminderSent.invoice_id)).all()
        emails = session.exec(select(func.count()).select_from(EmailOutbox)
                              .where(EmailOutbox.kind == "reminder")).one()
    engine.dispose()
    assert sorted(per_invoice) == [(invoice_id, 1) for invoice_id in sorted(invoice_ids)]
    assert emails == len(invoice_ids)
