"""Outside development: no default or short SECRET_KEY, and a __Host-, Secure session cookie."""

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from billing_app.api.app import create_api
from billing_app.settings import DEFAULT_SECRET_KEY, Settings
from tests.security.conftest import new_user
from tests.support.factories import PASSWORD

STRONG_KEY = "k" * 40


@pytest.mark.parametrize("key", [DEFAULT_SECRET_KEY, "s" * 31])
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key=key)


def test_development_keeps_the_demo_key_and_a_plain_cookie():
    settings = Settings(environment="development")
    assert settings.secret_key == DEFAULT_SECRET_KEY
    assert (settings.session_cookie_name, settings.cookie_secure) == ("billing_session", False)


def test_production_sends_the_session_cookie_as_host_only_and_secure(settings_env):
    settings_env(ENVIRONMENT="production", SECRET_KEY=STRONG_KEY)
    user = new_user()
    with TestClient(create_api(), base_url="https://localhost") as app:
        response = app.post("/auth/login", data={"email": user.email, "password": PASSWORD},
                            follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert response.status_code == 303, response.headers
    assert cookie.startswith("__Host-billing_session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
