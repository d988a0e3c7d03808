"""Committed work on a fresh PostgreSQL database: parallel issues and the overdue task."""

import multiprocessing
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

import billing_app.db
import billing_app.queries.company
from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import make_engine, session_scope
from billing_app.models import Company, Invoice, NumberSequence
from billing_app.models.users import Role, User
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.users import user_create
from billing_app.tasks.celery_app import celery_app
from billing_app.tasks.invoices import mark_overdue
from billing_app.tasks.schedule import BEAT_SCHEDULE
from tests.conftest import migrate
from tests.invoices.conftest import draft, line
from tests.support.factories import PASSWORD, make_client

DRAFTS, PROCESSES, CLIENTS = 40, 4, 8
ISSUE_DATE = date(2025, 5, 5)  # long past: the invoices are late by NIGHT
NIGHT = datetime(2025, 5, 6, 2, 0, tzinfo=UTC)  # when the nightly task runs here


@pytest.fixture(scope="module")
def fresh(pg_server):
    """A new database with a company, an accountant and 40 committed drafts for 8 clients."""
    url = pg_server.create_database("invoices_concurrency")
    migrate(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.add(Company(name="Parallel GmbH"))
        accountant = user_create(session, actor=SYSTEM_ACTOR, email="acc@example.com",
                                 name="Accountant", role=Role.ACCOUNTANT, password=PASSWORD)
        clients = [make_client(session) for _ in range(CLIENTS)]
        drafts = [invoice_create_draft(session, actor=accountant, data=draft(
            clients[n % CLIENTS], line(), issue_date=ISSUE_DATE)) for n in range(DRAFTS)]
    yield url, engine, [invoice.id for invoice in drafts]
    engine.dispose()


def issue_all(url: str, invoice_ids: list[int], start: multiprocessing.Barrier,
              results: multiprocessing.Queue) -> None:
    """One worker process: its own engine, one transaction per issue."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        actor = session.exec(select(User).where(User.email == "acc@example.com")).one()
    start.wait(timeout=60)
    for invoice_id in invoice_ids:
        try:
            with session_scope(engine) as session:
                results.put(invoice_issue(session, actor=actor, invoice_id=invoice_id,
                                          today=ISSUE_DATE).number)
        except Exception as error:  # reported in place of a number, so the test fails at once
            results.put(f"{invoice_id}: {error!r}")
    engine.dispose()


def test_parallel_issues_number_without_gaps_or_duplicates(fresh):
    url, engine, invoice_ids = fresh
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(PROCESSES), spawn.Queue()
    workers = [spawn.Process(target=issue_all, args=(url, invoice_ids[n::PROCESSES], start, results))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    numbers = [results.get(timeout=120) for _ in invoice_ids]
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    assert all(re.fullmatch(r"INV-2025-\d{5}", number) for number in numbers), numbers
    assert sorted(int(number[-5:]) for number in numbers) == list(range(1, DRAFTS + 1))
    with session_scope(engine) as session:
        stored = session.exec(select(Invoice.number).where(Invoice.id.in_(invoice_ids))).all()
        sequence = session.exec(select(NumberSequence.next_value)
                                .where(NumberSequence.kind == "invoice")).one()
    assert sorted(stored) == sorted(numbers)
    assert sequence == DRAFTS + 1


def test_the_nightly_task_marks_overdue_invoices(fresh, monkeypatch):
    url, engine, _ = fresh
    with session_scope(engine) as session:
        actor = session.exec(select(User).where(User.email == "acc@example.com")).one()
        client = make_client(session)
        late_ids = [
            invoice_issue(session, actor=actor, today=ISSUE_DATE, invoice_id=invoice_create_draft(
                session, actor=actor, data=draft(client, line(), issue_date=ISSUE_DATE)).id).id
            for _ in range(3)
        ]
    monkeypatch.setattr(billing_app.db, "get_engine", lambda: engine)
    monkeypatch.setattr(billing_app.queries.company, "utcnow", lambda: NIGHT)  # the task's clock
    assert BEAT_SCHEDULE["mark-overdue-invoices"]["task"] == mark_overdue.name
    assert mark_overdue.name in celery_app.tasks


    late = mark_overdue.run()  # also any the test above issued

    with session_scope(engine) as session:
        statuses = session.exec(select(Invoice.status).where(Invoice.id.in_(late_ids))).all()
    assert late >= 3 and statuses == ["overdue"] * 3
