"""The API served over real HTTP by uvicorn, on a database of its own.

The server commits, so its data would outlive the rolled-back tests of other packages
(counts, "last admin" rules...). It therefore gets a sibling database on the same
PostgreSQL, made the app's default only while this package runs.
"""

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest

from billing_app.api.app import create_api
from billing_app.db import forget_engines, session_scope
from billing_app.models.users import Role, User
from billing_app.queries.company import company_ensure
from billing_app.settings import get_settings
from tests.conftest import migrate
from tests.support.factories import PASSWORD, make_user
from tests.support.http import serving


def _use_database(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    forget_engines()


@pytest.fixture(scope="session")
def api_db_url(pg_server, pg_url) -> str:
    url = pg_server.create_database("billing_api")
    migrate(url)
    return url


@pytest.fixture(scope="package")
def api_database(api_db_url, pg_url) -> Iterator[str]:
    _use_database(api_db_url)
    yield api_db_url
    _use_database(pg_url)


@pytest.fixture(scope="package")
def api_url(api_database) -> Iterator[str]:
    with serving(create_api()) as url:
        yield url


@pytest.fixture
def api(api_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30) as client:
        yield client


def new_user(role: Role | str, **kw) -> User:
    """A committed user with a unique email (the server must see it)."""
    with session_scope() as session:
        email = f"api-{Role(role).value}-{uuid.uuid4().hex[:10]}@example.com"
        return make_user(session, role, email=email, **kw)


@pytest.fixture(scope="package")
def accounts(api_database) -> dict[Role, User]:
    """One user per role, shared by tests that do not change them."""
    return {role: new_user(role) for role in Role}


def token_pair(api: httpx.Client, email: str, password: str = PASSWORD) -> dict:
    response = api.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="package")
def headers(accounts, api_url) -> dict[Role, dict[str, str]]:
    """Authorization headers of each role's shared user."""
    with httpx.Client(base_url=api_url, timeout=30) as client:
        return {role: bearer(token_pair(client, user.email)["access_token"])
                for role, user in accounts.items()}


def assert_error(response: httpx.Response, status: int, code: str,
                 field: str | None = None) -> dict:
    """The response is the one error format, with a readable message; returns the error."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and len(error["message"]) > 5
    assert "Traceback" not in error["message"]
    if field is not None:
        assert error["field"] == field
    return error


@pytest.fixture(scope="package", autouse=True)
def company_row(api_database) -> None:
    """The company row, which settings, products and drafts need (create-user makes it in real use)."""
    with session_scope() as session:
        company_ensure(session)
