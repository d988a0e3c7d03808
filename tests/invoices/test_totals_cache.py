"""The invoice list's cached count and sums on PostgreSQL: reused while the invoices are the
same, never stale after a commit, never taken from a transaction that wrote.

Committed data in a database of its own (the rolled-back `db` would hide what the cache does).
"""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import event, text
from sqlmodel import Session

from billing_app.db import make_engine, session_scope
from billing_app.models.users import Role, User
from billing_app.queries.company import company_ensure
from billing_app.queries.invoices import invoices_page
from billing_app.queries.invoices.totals_cache import cached_totals
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from tests.conftest import migrate
from tests.invoices.conftest import draft, line
from tests.support.factories import make_client, make_user

TODAY = date(2031, 4, 1)
VIEWER: dict[str, int] = {}  # the reader, made with the module's data


@pytest.fixture(scope="module")
def engine(pg_server):
    engine = make_engine(migrated(pg_server, "totals_cache"))
    with session_scope(engine) as db:
        company_ensure(db)
        accountant = make_user(db, Role.ACCOUNTANT)
        client = make_client(db, name="Wombat Wholesale")
        for price in ("100.00", "250.00"):
            issue(db, accountant, client, price)
        VIEWER["id"] = make_user(db, Role.VIEWER).id
    yield engine
    engine.dispose()


def migrated(pg_server, name: str) -> str:
    url = pg_server.create_database(name)
    migrate(url)
    return url


def issue(db: Session, accountant, client, price: str):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(
        client, line(unit_price=price), issue_date=date(2031, 3, 3)))
    return invoice_issue(db, actor=accountant, invoice_id=invoice.id, today=date(2031, 3, 3))


@pytest.fixture
def sums_read(engine):
    """How many times the sums' aggregate ran since the test began."""
    ran = []

    def count(conn, cursor, statement, *_):
        if "sum(invoices.total)" in statement:
            ran.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield ran
    event.remove(engine, "before_cursor_execute", count)


def totals(engine, search: str = "Wombat", db: Session | None = None):
    """(count, [(currency, total)]) of the list searched, as the viewer sees it; in `db` if given."""
    session = db or Session(engine)
    page = invoices_page(session, actor=session.get(User, VIEWER["id"]),
                         search=search, today=TODAY)
    if db is None:
        session.close()
    return page.total_count, [(s.currency, s.total) for s in page.sums]


def test_the_same_filters_reuse_the_sums_while_nothing_changed(engine, sums_read):
    first = totals(engine)
    assert first == (2, [("EUR", D("350.00"))])
    assert totals(engine) == first
    assert len(sums_read) == 1


def test_a_committed_change_is_seen_at_once_by_the_next_read(engine, sums_read):
    before = totals(engine)
    reads = len(sums_read)
    with session_scope(engine) as db:
        accountant = make_user(db, Role.ACCOUNTANT)
        issue(db, accountant, make_client(db, name="Wombat Outfitters"), "40.00")
    count, sums = totals(engine)
    assert count == before[0] + 1
    assert sums[0][1] == before[1][0][1] + D("40.00")
    assert len(sums_read) == reads + 1


def test_renaming_a_client_changes_what_the_search_finds(engine):
    with session_scope(engine) as db:
        make_client(db, name="Quoll Quarries")
    assert totals(engine, search="Quoll") == (0, [])
    with session_scope(engine) as db:
        accountant = make_user(db, Role.ACCOUNTANT)
        issue(db, accountant, make_client(db, name="Numbat Nurseries"), "12.00")
    assert totals(engine, search="Quoll") == (0, [])
    with session_scope(engine) as db:
        db.connection().execute(text(
            "UPDATE clients SET name = 'Quoll Nurseries' WHERE name = 'Numbat Nurseries'"))
    assert totals(engine, search="Quoll") == (1, [("EUR", D("12.00"))])


def test_a_transaction_that_wrote_reads_its_own_rows_and_leaves_nothing_behind(engine):
    rename = text("UPDATE clients SET name = 'Wombat Phantom' WHERE name = 'Wombat Wholesale'")
    with Session(engine) as db:
        db.connection().execute(rename)  # one change, seen only by this transaction
        assert totals(engine, search="Phantom", db=db)[0] == 2
        db.rollback()
    with engine.begin() as connection:  # one other change, committed: the same change count
        connection.execute(text("UPDATE clients SET name = name WHERE id = 0"))
    assert totals(engine, search="Phantom") == (0, [])


def test_the_change_count_folds_its_rows_and_still_counts_every_change(engine):
    with engine.begin() as connection:
        seen = connection.execute(text("SELECT sum(n) FROM invoice_changes")).scalar_one()
        for _ in range(2100):
            connection.execute(text("UPDATE clients SET name = name WHERE id = 0"))
        rows, counted = connection.execute(
            text("SELECT count(*), sum(n) FROM invoice_changes")).one()
    assert counted == seen + 2100
    assert rows < 1100


def test_tabs_asking_for_the_same_sums_at_once_wait_for_one_computation(engine):
    computed = []

    def slow_sums():
        computed.append(1)
        time.sleep(0.3)
        return ("sums",)

    def ask(_):
        with Session(engine) as session:
            return cached_totals(session, "the same filters", slow_sums)

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(ask, range(6)))
    assert answers == [("sums",)] * 6
    assert len(computed) == 1
