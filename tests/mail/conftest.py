"""Email tests: services on the rolled-back `db`, and delivery by a real Celery worker on Redis
to a real aiosmtpd server on loopback, on a database of their own (the worker commits)."""

import itertools
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from billing_app.db import session_scope
from billing_app.models.clients import Client, Contact
from billing_app.models.company import Company
from billing_app.models.users import Role, User
from billing_app.queries.company import company_ensure
from billing_app.services.invoices import invoice_create_draft
from tests.conftest import migrate
from tests.support.celery_worker import celery_worker
from tests.support.databases import use_database
from tests.support.factories import make_client, make_user
from tests.support.smtp import smtp_server  # noqa: F401  (the session fixture)

ISSUE_DATE = date(2034, 3, 6)  # a year no other test numbers invoices in
_names = itertools.count(1)


def add_customer(session: Session, *contacts: tuple[str, str, bool]) -> Client:
    """A client with contacts (name, email, primary); its own address is ap@example.com."""
    client = make_client(session, name=f"Fjord Traders {next(_names)}")
    client.payment_terms_days = 14
    session.add_all([Contact(client_id=client.id, name=name, email=email, is_primary=primary)
                     for name, email, primary in contacts])
    session.flush()
    return client


def add_draft(session: Session, actor: User, client: Client, unit_price: str = "119.00"):
    return invoice_create_draft(session, actor=actor, data={
        "client_id": client.id, "issue_date": ISSUE_DATE,
        "lines": [{"description": "Harbour survey", "quantity": "1", "unit_price": unit_price,
                   "tax_rate_ids": []}]})


@pytest.fixture
def company(db) -> Company:
    company = db.exec(select(Company).order_by(Company.id)).first() or Company(name="Test GmbH")
    company.invoice_number_pattern = "INV-{YYYY}-{SEQ:05}"
    db.add(company)
    db.flush()
    return company


@pytest.fixture
def customer(db, company) -> Client:
    return add_customer(db, ("Ada Primary", "ada@fjord.example", True),
                        ("Bo Second", "bo@fjord.example", False))


@pytest.fixture(scope="package")
def mail_stack(pg_server, pg_url, redis_server, smtp_server, tmp_path_factory  # noqa: F811
               ) -> Iterator[SimpleNamespace]:
    """A database of its own, Redis, the SMTP server and a Celery worker (two processes, so
    two tasks for one email really race), made this process's settings while the package runs."""
    url = pg_server.create_database("billing_mail")
    migrate(url)
    data_dir = tmp_path_factory.mktemp("mail-data")
    redis_url = redis_server.url.rsplit("/", 1)[0] + "/3"  # a Redis database of its own
    env = {"REDIS_URL": redis_url, "DATA_DIR": str(data_dir), "MAIL_RETRY_BASE_SECONDS": "1",
           "MAIL_MAX_ATTEMPTS": "4", **smtp_server.env()}
    use_database(url, **env)
    with session_scope() as session:
        company_ensure(session).invoice_number_pattern = "INV-{YYYY}-{SEQ:05}"
        accountant = make_user(session, Role.ACCOUNTANT)
    try:
        with celery_worker(database_url=url, redis_url=redis_url, data_dir=data_dir,
                           concurrency=2, extra_env=env):
            yield SimpleNamespace(url=url, accountant=accountant, data_dir=data_dir)
    finally:
        use_database(pg_url, **{name: None for name in env})
