"""Accountants paying the same invoice at the same moment, from separate OS processes on a
committed PostgreSQL database: the invoice is never over-allocated."""

import multiprocessing
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import make_engine, session_scope
from billing_app.errors import BillingError
from billing_app.models import Client, Company, Invoice, Payment, PaymentAllocation
from billing_app.models.users import Role, User
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.payments import credit_apply, payment_record
from billing_app.services.users import user_create
from tests.conftest import migrate
from tests.invoices.conftest import draft, line
from tests.support.factories import PASSWORD, make_client

PROCESSES, ATTEMPTS = 4, 3
ISSUE_DATE = date(2026, 1, 5)
TODAY = date(2026, 1, 10)


@pytest.fixture(scope="module")
def fresh(pg_server):
    url = pg_server.create_database("payments_concurrency")
    migrate(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        session.add(Company(name="Parallel GmbH"))
        user_create(session, actor=SYSTEM_ACTOR, email="acc@example.com", name="Accountant",
                    role=Role.ACCOUNTANT, password=PASSWORD)
    yield url, engine
    engine.dispose()


def _invoices(engine, client_id: int, count: int, price: str = "100.00") -> list[int]:
    with session_scope(engine) as session:
        actor = session.exec(select(User).where(User.email == "acc@example.com")).one()
        client = session.get(Client, client_id)
        ids = []
        for _ in range(count):
            made = invoice_create_draft(session, actor=actor, data=draft(
                client, line(unit_price=price), issue_date=ISSUE_DATE))
            ids.append(invoice_issue(session, actor=actor, invoice_id=made.id, today=ISSUE_DATE).id)
        return ids


def _worker(url: str, jobs: list[dict], start, results) -> None:
    """One process: its own engine, one transaction per job; reports each outcome."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        actor = session.exec(select(User).where(User.email == "acc@example.com")).one()
    start.wait(timeout=60)
    for job in jobs:
        try:
            with session_scope(engine) as session:
                if job["kind"] == "pay":
                    payment_record(session, actor=actor, data=job["data"], today=TODAY,
                                   send_receipt=False)
                else:
                    credit_apply(session, actor=actor, invoice_id=job["invoice_id"], today=TODAY)
            results.put("ok")
        except BillingError as refused:
            results.put(f"refused: {refused.message}")
        except Exception as error:  # noqa: BLE001 — a crash shows in the test's assertion
            results.put(f"error: {error!r}")
    engine.dispose()


def _run_in_parallel(url: str, jobs_per_process: list[list[dict]]) -> list[str]:
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(len(jobs_per_process)), spawn.Queue()
    workers = [spawn.Process(target=_worker, args=(url, jobs, start, results))
               for jobs in jobs_per_process]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for jobs in jobs_per_process for _ in jobs]
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0] * len(workers)
    return outcomes


def _new_client(engine) -> int:
    with session_scope(engine) as session:
        return make_client(session).id


def test_parallel_payments_on_one_invoice_never_over_allocate_it(fresh):
    url, engine = fresh
    client_id = _new_client(engine)
    [invoice_id] = _invoices(engine, client_id, 1)
    pay_30 = {"kind": "pay", "data": {
        "client_id": client_id, "payment_date": TODAY.isoformat(), "amount": "30.00",
        "allocations": [{"invoice_id": invoice_id, "amount": "30.00"}]}}

    outcomes = _run_in_parallel(url, [[pay_30] * ATTEMPTS for _ in range(PROCESSES)])

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("ok") == 3  # 3 x 30.00 fit in 100.00, the fourth does not
    assert all("left to pay" in o for o in outcomes if o != "ok")
    with session_scope(engine) as session:
        invoice = session.get(Invoice, invoice_id)
        allocated = session.exec(select(func.sum(PaymentAllocation.amount))
                                 .where(PaymentAllocation.invoice_id == invoice_id)).one()
        payments = session.exec(select(func.count()).select_from(Payment)
                                .where(Payment.client_id == client_id)).one()
    assert allocated == invoice.amount_paid == Decimal("90.00")
    assert (invoice.balance_due, invoice.status) == (Decimal("10.00"), "partially_paid")
    assert payments == 3  # the refused ones left nothing behind


def test_parallel_auto_allocation_and_credit_use_each_euro_once(fresh):
    url, engine = fresh
    client_id = _new_client(engine)
    invoice_ids = _invoices(engine, client_id, 6, price="50.00")
    auto_80 = {"kind": "pay", "data": {"client_id": client_id, "payment_date": TODAY.isoformat(),
                                       "amount": "80.00", "auto_allocate": True}}
    apply_credit = [{"kind": "credit", "invoice_id": invoice_id} for invoice_id in invoice_ids]

    outcomes = _run_in_parallel(url, [[auto_80] * 2, [auto_80] * 2, apply_credit, apply_credit])

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    with session_scope(engine) as session:
        invoices = session.exec(select(Invoice).where(Invoice.id.in_(invoice_ids))).all()
        payments = session.exec(select(Payment).where(Payment.client_id == client_id)).all()
        allocated = session.exec(select(func.sum(PaymentAllocation.amount)).join(Payment)
                                 .where(Payment.client_id == client_id)).one()
    received = sum(p.amount for p in payments)
    assert received == Decimal("320.00")
    assert allocated == sum(i.amount_paid for i in invoices) == Decimal("300.00")  # all 6 paid
    assert all(i.balance_due == 0 and i.status == "paid" for i in invoices)
    assert sum(p.amount - p.amount_allocated for p in payments) == Decimal("20.00")  # credit
    assert all(0 <= p.amount_allocated <= p.amount for p in payments)
