"""Bulk jobs on a demo database of their own (the worker commits, so its rows must not reach
the rolled-back tests of other packages), made the app's default while this package runs;
`db` rolls back on it too."""

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from billing_app.db import make_engine
from billing_app.demo import generate
from billing_app.models.users import Role, User
from tests.conftest import migrate
from tests.support.databases import use_database

TODAY = date(2026, 12, 5)
DEMO_INVOICES = 60


@pytest.fixture(scope="session")
def bulk_db_url(pg_server, pg_url) -> str:
    url = pg_server.create_database("billing_bulk")
    migrate(url)
    engine = make_engine(url)
    generate(engine, invoices=DEMO_INVOICES, seed=11, today=TODAY)
    engine.dispose()
    return url


@pytest.fixture(scope="package", autouse=True)
def bulk_database(bulk_db_url, pg_url, tmp_path_factory) -> Iterator[str]:
    """The demo database and a data directory of this package, as the app's defaults."""
    data_dir = os.environ.get("DATA_DIR")
    use_database(bulk_db_url, DATA_DIR=str(tmp_path_factory.mktemp("bulk-data")))
    yield bulk_db_url
    use_database(pg_url, DATA_DIR=data_dir)


@pytest.fixture(scope="package")
def pg_engine(bulk_database) -> Iterator[Engine]:
    """The engine of the root `db` fixture, here the demo database's."""
    engine = make_engine(bulk_database)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_users(db) -> dict[Role, User]:
    """The demo's admin, accountant, viewer and client user."""
    emails = {f"{role.value}@example.com": role for role in Role}
    return {emails[user.email]: user
            for user in db.exec(select(User).where(User.email.in_(emails))).all()}
