"""Report test data: the demo generator's invoices, then made harder by hand in SQL: three
currencies, voided and refunded payments (reversed on known days), partial and void credit
notes, late fees, and a company west of Greenwich so the end of a day is not midnight UTC."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from billing_app.api.app import create_api
from billing_app.auth.sessions import session_open
from billing_app.auth.tokens import tokens_issue
from billing_app.db import make_engine, session_scope
from billing_app.demo import generate
from billing_app.models.users import Role, User
from billing_app.settings import get_settings
from tests.conftest import migrate
from tests.support.databases import use_database
from tests.support.http import serving

TODAY = date(2026, 11, 20)
INVOICES = 1500
SEED = 11
TIME_ZONE = "America/New_York"

def _make_harder(connection) -> None:
    connection.execute(text(f"UPDATE company SET time_zone = '{TIME_ZONE}'"))
    for table in ("invoices", "payments", "credit_notes"):
        connection.execute(text(
            f"UPDATE {table} SET currency = CASE WHEN client_id % 6 IN (1, 2) THEN 'USD' "
            f"WHEN client_id % 6 = 3 THEN 'GBP' ELSE currency END"))
    connection.execute(text(
        "UPDATE payments SET status = 'void', reversal_reason = 'test', "
        "reversed_at = ((payment_date + (id % 41)) + time '02:30') AT TIME ZONE 'UTC' "
        "WHERE id % 7 = 0"))
    connection.execute(text(
        "UPDATE payments SET status = 'refunded', reversal_reason = 'test', "
        "reversed_at = ((payment_date + 5 + (id % 21)) + time '15:00') AT TIME ZONE 'UTC' "
        "WHERE id % 11 = 0 AND status = 'completed'"))
    # partial credit notes a few days after issue, and void ones that never count
    connection.execute(text(
        "INSERT INTO credit_notes (company_id, number, invoice_id, client_id, status, issue_date,"
        " currency, reason, subtotal, tax_total, total, created_at) "
        "SELECT company_id, NULL, id, client_id, CASE WHEN id % 26 = 0 THEN 'void' ELSE 'issued' END,"
        " issue_date + (id % 30), currency, 'test', 0, 0, round(total / 3, 2), now() "
        "FROM invoices WHERE id % 13 = 0 AND number IS NOT NULL AND status <> 'cancelled'"))
    # late fees on some invoices, charged 10 and 40 days after the due date
    connection.execute(text(
        "INSERT INTO invoice_fees (invoice_id, level, description, amount, charged_on, created_at) "
        "SELECT i.id, l.id, 'Late fee', 5 + (i.id % 4) * 2.5, i.due_date + l.days, now() "
        "FROM invoices i CROSS JOIN (SELECT id, days FROM reminder_levels "
        "WHERE days IN (SELECT min(days) FROM reminder_levels WHERE days > 0) "
        "   OR days IN (SELECT max(days) FROM reminder_levels)) l "
        "WHERE i.id % 5 = 0 AND i.number IS NOT NULL AND i.status <> 'cancelled'"))


@pytest.fixture(scope="session")
def report_engine(pg_server):
    """A database of its own, filled once for the report tests (they only read it)."""
    url = pg_server.create_database("reports_data")
    migrate(url)
    engine = make_engine(url)
    generate(engine, invoices=INVOICES, seed=SEED, today=TODAY)
    with engine.begin() as connection:
        _make_harder(connection)
    yield engine
    engine.dispose()


@pytest.fixture
def rdb(report_engine):
    with Session(report_engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


@pytest.fixture
def report_viewer(rdb) -> User:
    return rdb.query(User).filter(User.role == Role.VIEWER).first()


@pytest.fixture
def report_client_user(rdb) -> User:
    return rdb.query(User).filter(User.role == Role.CLIENT).first()


@pytest.fixture(scope="package")
def reports_api(pg_server, pg_url, report_engine):
    """The API over real HTTP, on the report database for as long as this package runs."""
    use_database(report_engine.url.render_as_string(hide_password=False))
    with serving(create_api()) as url:
        yield url
    use_database(pg_url)


def signed_in(role: Role) -> tuple[dict[str, str], dict[str, str]]:
    """(bearer headers, session cookies) of the demo user with the role, committed."""
    with session_scope() as session:
        user = session.exec(select(User).where(User.role == role)).first()
        bearer = tokens_issue(session, user).access_token
        cookie = session_open(session, user, user_agent="test", ip_address="127.0.0.1")
    return ({"Authorization": f"Bearer {bearer}"},
            {get_settings().session_cookie_name: cookie})
