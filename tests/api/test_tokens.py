"""API tokens over HTTP: obtain, refresh with rotation, revoke, and refusal of bad tokens."""

import base64
import json
from datetime import timedelta

import jwt
import pytest

from billing_app.auth.tokens import token_encode
from billing_app.db import session_scope
from billing_app.models.base import utcnow
from billing_app.models.users import ApiToken, Role, User
from billing_app.settings import get_settings
from tests.api.conftest import assert_error, bearer, new_user, token_pair
from tests.support.factories import PASSWORD

ME = "/api/v1/users/me"


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_token_obtain_gives_a_working_pair(api, accounts):
    user = accounts[Role.VIEWER]
    pair = token_pair(api, user.email.upper())  # emails are matched case-insensitively

    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == get_settings().jwt_access_minutes * 60
    access, refresh = _claims(pair["access_token"]), _claims(pair["refresh_token"])
    assert (access["typ"], refresh["typ"]) == ("access", "refresh")
    assert access["sid"] == refresh["sid"] and access["sub"] == refresh["sub"] == str(user.id)
    assert timedelta(days=get_settings().jwt_refresh_days) == timedelta(
        seconds=refresh["exp"] - refresh["iat"])
    me = api.get(ME, headers=bearer(pair["access_token"]))
    assert me.status_code == 200 and me.json()["email"] == user.email


@pytest.mark.parametrize("email,password", [
    ("nobody@example.com", PASSWORD),
    (None, "wrong password!!"),
])
def test_wrong_credentials_are_refused_with_one_message(api, accounts, email, password):
    email = email or accounts[Role.ADMIN].email
    response = api.post("/api/v1/auth/token", json={"email": email, "password": password})
    error = assert_error(response, 401, "not_authenticated")
    assert error["message"] == "Invalid email or password."


def test_refresh_rotates_and_a_used_refresh_token_ends_the_login(api):
    user = new_user(Role.ACCOUNTANT)
    first = token_pair(api, user.email)

    renewed = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert renewed.status_code == 200, renewed.text
    second = renewed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert _claims(second["refresh_token"])["ctr"] == _claims(first["refresh_token"])["ctr"] + 1
    assert api.get(ME, headers=bearer(second["access_token"])).status_code == 200

    replay = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert_error(replay, 401, "not_authenticated")
    # The replay revoked the login: the newest tokens stop working too.
    assert_error(api.get(ME, headers=bearer(second["access_token"])), 401, "not_authenticated")
    again = api.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert_error(again, 401, "not_authenticated")


def test_revoke_ends_access_and_refresh_tokens_of_that_login_only(api):
    user = new_user(Role.VIEWER)
    ended, other = token_pair(api, user.email), token_pair(api, user.email)

    response = api.post("/api/v1/auth/revoke", headers=bearer(ended["access_token"]))
    assert response.status_code == 204

    assert_error(api.get(ME, headers=bearer(ended["access_token"])), 401, "not_authenticated")
    refresh = api.post("/api/v1/auth/refresh", json={"refresh_token": ended["refresh_token"]})
    assert_error(refresh, 401, "not_authenticated")
    assert api.get(ME, headers=bearer(other["access_token"])).status_code == 200


def test_token_types_are_not_interchangeable(api, accounts):
    pair = token_pair(api, accounts[Role.VIEWER].email)
    assert_error(api.get(ME, headers=bearer(pair["refresh_token"])), 401, "not_authenticated")
    response = api.post("/api/v1/auth/refresh", json={"refresh_token": pair["access_token"]})
    assert_error(response, 401, "not_authenticated")


def test_expired_access_token_is_refused(api, accounts):
    user = accounts[Role.VIEWER]
    live = _claims(token_pair(api, user.email)["access_token"])
    expired = token_encode({"sub": live["sub"], "sid": live["sid"], "typ": "access"},
                           issued_at=utcnow() - timedelta(hours=1), lifetime=timedelta(minutes=15))
    assert_error(api.get(ME, headers=bearer(expired)), 401, "not_authenticated")


def _segment(claims: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()


def test_tampered_and_foreign_tokens_are_refused(api, accounts):
    token = token_pair(api, accounts[Role.VIEWER].email)["access_token"]
    header, _payload, signature = token.split(".")
    claims = _claims(token)
    as_admin = ".".join([header, _segment({**claims, "sub": str(accounts[Role.ADMIN].id)}),
                         signature])
    other_secret = jwt.encode(claims, "another secret of at least thirty-two bytes", "HS256")
    unsigned = ".".join([_segment({"alg": "none", "typ": "JWT"}), _segment(claims), ""])

    for bad in (as_admin, other_secret, unsigned, "not-a-jwt"):
        assert_error(api.get(ME, headers=bearer(bad)), 401, "not_authenticated")


def test_missing_token_asks_for_one(api):
    response = api.get(ME)
    assert_error(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"] == "Bearer"
    assert_error(api.get(ME, headers={"Authorization": "Basic dXNlcjpwdw=="}), 401,
                 "not_authenticated")


def test_deactivated_user_loses_api_access(api, headers):
    user = new_user(Role.VIEWER)
    pair = token_pair(api, user.email)
    response = api.post(f"/api/v1/users/{user.id}/deactivate", headers=headers[Role.ADMIN])
    assert response.status_code == 200, response.text

    assert_error(api.get(ME, headers=bearer(pair["access_token"])), 401, "not_authenticated")
    refresh = api.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_error(refresh, 401, "not_authenticated")


def _change(model, key, **values) -> None:
    """Edit a row behind the services' back, to reach states they only reach with time."""
    with session_scope() as session:
        row = session.get(model, key)
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)


def test_tokens_of_an_expired_login_are_refused(api):
    user = new_user(Role.VIEWER)
    pair = token_pair(api, user.email)
    _change(ApiToken, _claims(pair["access_token"])["sid"],
            expires_at=utcnow() - timedelta(seconds=1))

    assert_error(api.get(ME, headers=bearer(pair["access_token"])), 401, "not_authenticated")
    refresh = api.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_error(refresh, 401, "not_authenticated")


def test_tokens_of_an_inactive_user_are_refused(api):
    user = new_user(Role.VIEWER)
    pair = token_pair(api, user.email)
    _change(User, user.id, is_active=False)

    assert_error(api.get(ME, headers=bearer(pair["access_token"])), 401, "not_authenticated")
