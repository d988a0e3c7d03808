"""The demo data and its sample bank statement have the same shape on any day of any year.

`make run` loads the demo and writes the sample statement under `set -e` on whatever day a
user starts it; CI runs on any day too. The days below are the calendar's awkward ones.
"""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from billing_app.db import make_engine
from billing_app.demo import generate
from billing_app.models import CreditNote, Invoice, Payment
from tests.conftest import migrate
from tests.support.sample_statement import pay_with_sample_statement

INVOICES = 120  # the size the CLI test loads: the smallest demo that must still work
SEED = 42
REFERENCE_DAY = date(2026, 11, 20)
AWKWARD_DAYS = [date(2027, 1, 1), date(2028, 2, 28), date(2028, 2, 29), date(2026, 6, 30),
                date(2026, 12, 31), date(2026, 12, 5)]


def _shape(engine) -> dict:
    """How many invoices of each status and part-paid; how many credit notes and payments."""
    with Session(engine) as session:
        statuses = dict(session.execute(
            select(Invoice.status, func.count()).group_by(Invoice.status)).all())
        part_paid = session.scalar(select(func.count()).where(
            Invoice.amount_paid > 0, Invoice.balance_due > 0))
        return {"statuses": statuses, "part_paid": part_paid,
                "credit_notes": session.scalar(select(func.count()).select_from(CreditNote)),
                "payments": session.scalar(select(func.count()).select_from(Payment))}


@pytest.fixture(scope="module")
def demo_on(pg_server):
    """A fresh demo database generated as if today were the given day."""
    engines = {}

    def make(day: date):
        if day not in engines:
            url = pg_server.create_database(f"demo_{day:%Y%m%d}")
            migrate(url)
            engines[day] = make_engine(url)
            generate(engines[day], invoices=INVOICES, seed=SEED, today=day)
        return engines[day]

    yield make
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(scope="module")
def reference_shape(demo_on) -> dict:
    shape = _shape(demo_on(REFERENCE_DAY))
    statuses = shape["statuses"]
    assert statuses.get("draft") and statuses.get("overdue") and statuses.get("paid")
    assert statuses.get("sent", 0) + statuses.get("partially_paid", 0) >= 1
    return shape


@pytest.mark.parametrize("day", AWKWARD_DAYS, ids=str)
def test_the_demo_has_the_same_shape_on_any_day(demo_on, reference_shape, day):
    assert _shape(demo_on(day)) == reference_shape


@pytest.mark.parametrize("day", AWKWARD_DAYS, ids=str)
def test_the_sample_statement_pays_open_invoices_on_any_day(demo_on, day):
    with Session(demo_on(day)) as session:
        rows, accepted, statuses = pay_with_sample_statement(session, day)
        assert accepted >= 3 and statuses == {"paid"}
        booked = {date.fromisoformat(row["Booking date"]) for row in rows}
        assert max(booked) <= day and min(booked) >= date.fromordinal(day.toordinal() - 7)
        session.rollback()


def test_every_invoice_date_lies_in_the_span_before_the_day(demo_on):
    day = date(2028, 2, 29)
    with Session(demo_on(day)) as session:
        first, last = session.execute(select(func.min(Invoice.issue_date),
                                             func.max(Invoice.issue_date))).one()
    assert last <= day and (day - first).days <= 18 * 31
