"""The app in process (FastAPI's TestClient) on a database of its own, with low limits set
explicitly by the tests that check them; counters start empty in every test."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from billing_app.api.app import create_api
from billing_app.auth.throttle import limits_storage
from billing_app.db import session_scope
from billing_app.models.users import Role, User
from billing_app.settings import get_settings
from tests.conftest import migrate
from tests.support.databases import use_database
from tests.support.factories import PASSWORD, make_user


@pytest.fixture(scope="package")
def security_db(pg_server, pg_url) -> Iterator[str]:
    """Committed rows of these tests stay out of the database other packages roll back in."""
    url = pg_server.create_database("billing_security")
    migrate(url)
    use_database(url)
    yield url
    use_database(pg_url)


@pytest.fixture
def settings_env(monkeypatch, security_db):
    """settings_env(NAME=value, ...): settings for this test only."""

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def fresh_counters(security_db) -> None:
    limits_storage().reset()


@pytest.fixture
def app(security_db) -> Iterator[TestClient]:
    with TestClient(create_api(), base_url="http://localhost:8000") as client:
        yield client


def new_user(role: Role = Role.ACCOUNTANT) -> User:
    """A committed user with a unique email (the app must see it)."""
    with session_scope() as session:
        email = f"sec-{role.value}-{uuid.uuid4().hex[:10]}@example.com"
        return make_user(session, role, email=email)


def token_for(app: TestClient, email: str, password: str = PASSWORD):
    return app.post("/api/v1/auth/token", json={"email": email, "password": password})
