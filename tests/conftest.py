"""Shared fixtures: a real PostgreSQL for the run, a rolled-back transaction per test."""

import os
import tempfile

import pytest
from alembic import command
from alembic.config import Config
from sqlmodel import Session

from billing_app.db import make_engine
from billing_app.settings import PROJECT_ROOT, get_settings
from billing_app.models.users import Role
from tests.support.celery_worker import celery_worker
from tests.support.databases import demo_database
from tests.support.factories import make_user
from tests.support.live_app import LiveApp
from tests.support.servers import PostgresServer, RedisServer
from tests.support.smtp import smtp_server  # noqa: F401  (the live app and its workers mail to it)

# Files a test run writes (kept PDFs, the embedded Celery broker, exports) go to a throw-away
# folder, never into the project's var/ where `make run` keeps a user's data.
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="billing-test-data-"))


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.cmd_opts = None
    config.attributes["configure_logger"] = False
    config.set_main_option("sqlalchemy.url", url)
    return config


def migrate(url: str, revision: str = "head") -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server):
    """A migrated PostgreSQL database; also made the app's default database for this run."""
    url = pg_server.create_database("billing_test")
    migrate(url)
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    from billing_app.db import forget_engines

    forget_engines()
    return url


@pytest.fixture(scope="session")
def pg_engine(pg_url):
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(pg_engine):
    """A session whose work is rolled back after the test (services flush, never commit)."""
    connection = pg_engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def admin(db):
    return make_user(db, Role.ADMIN)


@pytest.fixture
def accountant(db):
    return make_user(db, Role.ACCOUNTANT)


@pytest.fixture
def viewer(db):
    return make_user(db, Role.VIEWER)


@pytest.fixture
def client_user(db):
    return make_user(db, Role.CLIENT)


# The app server on a demo database, built and started once per test process: the browser
# tests and the authorization matrix share it (one xdist group, see below).
@pytest.fixture(scope="session")
def live_db_url(pg_server):
    return demo_database(pg_server, "billing_live")


@pytest.fixture(scope="session")
def live_engine(live_db_url):
    engine = make_engine(live_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live_app(live_db_url, redis_server, smtp_server, tmp_path_factory):  # noqa: F811
    run_dir = tmp_path_factory.mktemp("live")
    # Redis for Celery and the throttles; the tabs' state stays in the one app process (an
    # empty STATE_REDIS_URL), the simplest setup for a suite that starts the app once. The
    # suite passes on Redis state with several workers too (drop the override to try it);
    # tests/deployment runs the app on Redis state, in two processes, every time.
    app = LiveApp({"DATABASE_URL": live_db_url, "REDIS_URL": redis_server.url, "STATE_REDIS_URL": "",
                   **smtp_server.env()},
                  run_dir / "reflex.log", run_dir / "project")
    try:
        app.wait_ready()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="module")
def live_worker(live_app, live_db_url, redis_server, smtp_server):  # noqa: F811
    """A Celery worker on the live app's database, Redis and data directory (its copy's var/),
    mailing to aiosmtpd; for the modules whose pages start background work."""
    with celery_worker(database_url=live_db_url, redis_url=redis_server.url,
                       data_dir=live_app.workdir / "var", extra_env=smtp_server.env()) as client:
        yield client


def pytest_collection_modifyitems(items):
    """Tests on the live app are marked `live`: scripts/test.sh runs them in one process, which
    builds and starts the app once, after the rest ran on two workers. (xdist's loadgroup
    cannot group them: with pytest 9 it no longer renames the tests it groups.)"""
    for item in items:
        if "live_app" in item.fixturenames:
            item.add_marker(pytest.mark.live)
