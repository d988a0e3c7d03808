"""/users/me for every role, and user administration for admins only."""

import uuid

import pytest

from billing_app.models.users import Role
from tests.api.conftest import assert_error, bearer, new_user, token_pair
from tests.support.factories import PASSWORD

USERS = "/api/v1/users"
NEW_PASSWORD = "another long enough password"


def _email() -> str:
    return f"new-{uuid.uuid4().hex[:10]}@example.com"


@pytest.mark.parametrize("role", list(Role))
def test_me_shows_the_signed_in_user_to_every_role(api, accounts, headers, role):
    response = api.get(f"{USERS}/me", headers=headers[role])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == accounts[role].id
    assert body["email"] == accounts[role].email
    assert body["role"] == role.value
    assert body["is_active"] is True
    assert "password_hash" not in body and "password" not in body
    assert (body["client_id"] is not None) == (role == Role.CLIENT)


def test_admin_creates_lists_and_changes_a_user(api, accounts, headers):
    admin = headers[Role.ADMIN]
    email = _email()
    created = api.post(USERS, headers=admin, json={
        "email": email, "name": "Nora Newcomer", "role": "viewer", "password": PASSWORD})
    assert created.status_code == 201, created.text
    user = created.json()
    assert (user["email"], user["role"], user["is_active"]) == (email, "viewer", True)
    assert "password_hash" not in user

    page = api.get(USERS, headers=admin, params={"search": "nora newcomer", "limit": 5})
    assert page.status_code == 200, page.text
    assert page.json()["total"] == 1 and page.json()["items"][0]["id"] == user["id"]
    assert (page.json()["offset"], page.json()["limit"]) == (0, 5)
    assert "password_hash" not in page.json()["items"][0]

    client_id = accounts[Role.CLIENT].client_id
    changed = api.patch(f"{USERS}/{user['id']}", headers=admin,
                        json={"role": "client", "client_id": client_id})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["role"], changed.json()["client_id"]) == ("client", client_id)
    listed = api.get(USERS, headers=admin, params={"search": email}).json()["items"][0]
    assert listed["client_name"] is not None


def test_user_list_pages(api, headers):
    admin = headers[Role.ADMIN]
    everyone = api.get(USERS, headers=admin, params={"limit": 200}).json()
    assert everyone["total"] == len(everyone["items"]) >= 4
    second = api.get(USERS, headers=admin, params={"offset": 1, "limit": 2}).json()
    assert second["total"] == everyone["total"]
    assert [u["id"] for u in second["items"]] == [u["id"] for u in everyone["items"][1:3]]


def test_deactivate_activate_and_reset_password(api, headers):
    admin = headers[Role.ADMIN]
    user = new_user(Role.VIEWER)
    login = {"email": user.email, "password": PASSWORD}

    off = api.post(f"{USERS}/{user.id}/deactivate", headers=admin)
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert_error(api.post("/api/v1/auth/token", json=login), 401, "not_authenticated")

    on = api.post(f"{USERS}/{user.id}/activate", headers=admin)
    assert on.status_code == 200 and on.json()["is_active"] is True
    old_token = token_pair(api, user.email)["access_token"]

    reset = api.post(f"{USERS}/{user.id}/reset-password", headers=admin,
                     json={"password": NEW_PASSWORD})
    assert reset.status_code == 200, reset.text
    assert_error(api.post("/api/v1/auth/token", json=login), 401, "not_authenticated")
    assert_error(api.get(f"{USERS}/me", headers=bearer(old_token)), 401, "not_authenticated")
    token_pair(api, user.email, NEW_PASSWORD)


def test_admin_cannot_deactivate_themselves(api, accounts, headers):
    admin = accounts[Role.ADMIN]
    response = api.post(f"{USERS}/{admin.id}/deactivate", headers=headers[Role.ADMIN])
    assert_error(response, 409, "conflict")


ADMIN_CALLS = [
    ("GET", USERS, None),
    ("POST", USERS, {"email": "x@example.com", "name": "X", "role": "admin", "password": PASSWORD}),
    ("PATCH", f"{USERS}/1", {"role": "admin"}),
    ("POST", f"{USERS}/1/deactivate", None),
    ("POST", f"{USERS}/1/activate", None),
    ("POST", f"{USERS}/1/reset-password", {"password": NEW_PASSWORD}),
]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ACCOUNTANT, Role.CLIENT])
@pytest.mark.parametrize("method,path,body", ADMIN_CALLS)
def test_user_admin_is_forbidden_to_other_roles(api, headers, role, method, path, body):
    response = api.request(method, path, headers=headers[role], json=body)
    error = assert_error(response, 403, "forbidden")
    assert error["message"] == "You are not allowed to do this."


@pytest.mark.parametrize("method,path,body", ADMIN_CALLS)
def test_user_admin_needs_a_token(api, method, path, body):
    assert_error(api.request(method, path, json=body), 401, "not_authenticated")


def _create(**changes) -> dict:
    body = {"email": _email(), "name": "Bad Input", "role": "viewer", "password": PASSWORD}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.mark.parametrize("body,status,code,field", [
    (_create(password="short"), 422, "validation_error", "password"),
    (_create(email="not-an-email"), 422, "validation_error", "email"),
    (_create(role="superuser"), 422, "validation_error", "role"),
    (_create(name=...), 422, "validation_error", "name"),
    (_create(password=...), 422, "validation_error", "password"),
    (_create(name=["a", "list"]), 422, "validation_error", "name"),
    (_create(client_id="seven"), 422, "validation_error", "client_id"),
    (_create(client_id=10**12), 422, "validation_error", "client_id"),
    (_create(role="client"), 422, "validation_error", "client_id"),
    (_create(role="client", client_id=2**31 - 1), 422, "validation_error", "client_id"),
    (_create(name="nul\x00byte"), 422, "validation_error", None),
    ([1, 2], 422, "validation_error", None),
], ids=["short-password", "bad-email", "unknown-role", "no-name", "no-password", "name-list",
        "client-id-text", "client-id-huge", "client-without-client-id", "unknown-client",
        "nul-byte", "not-an-object"])
def test_bad_user_input_gets_a_readable_4xx(api, headers, body, status, code, field):
    response = api.post(USERS, headers=headers[Role.ADMIN], json=body)
    assert_error(response, status, code, field)


def test_duplicate_email_is_a_conflict(api, accounts, headers):
    response = api.post(USERS, headers=headers[Role.ADMIN],
                        json=_create(email=accounts[Role.VIEWER].email.upper()))
    assert_error(response, 409, "conflict", "email")


def test_malformed_json_is_a_validation_error(api, headers):
    response = api.post(USERS, headers={**headers[Role.ADMIN], "Content-Type": "application/json"},
                        content=b'{"email": ')
    assert_error(response, 422, "validation_error")


@pytest.mark.parametrize("method,path,body,status,code,field", [
    ("PATCH", f"{USERS}/999999", {"role": "viewer"}, 404, "not_found", None),
    ("PATCH", f"{USERS}/abc", {"role": "viewer"}, 422, "validation_error", "user_id"),
    ("PATCH", f"{USERS}/{10**12}", {"role": "viewer"}, 422, "validation_error", "user_id"),
    ("PATCH", f"{USERS}/1", {"role": "owner"}, 422, "validation_error", "role"),
    ("PATCH", f"{USERS}/1", {}, 422, "validation_error", "role"),
    ("POST", f"{USERS}/999999/activate", None, 404, "not_found", None),
    ("POST", f"{USERS}/1/reset-password", {"password": "short"}, 422, "validation_error",
     "password"),
    ("POST", f"{USERS}/1/reset-password", {"password": 123456789012345}, 422, "validation_error",
     "password"),
    ("GET", f"{USERS}?limit=0", None, 422, "validation_error", "limit"),
    ("GET", f"{USERS}?offset=-1", None, 422, "validation_error", "offset"),
    ("GET", f"{USERS}?search=%00", None, 422, "validation_error", None),
    ("GET", "/api/v1/no-such-thing", None, 404, "not_found", None),
])
def test_bad_requests_get_the_error_format(api, headers, method, path, body, status, code, field):
    response = api.request(method, path, headers=headers[Role.ADMIN], json=body)
    assert_error(response, status, code, field)


def test_permission_is_checked_before_the_body(api, headers):
    """Non-admins are told no before anything about the input they sent."""
    assert_error(api.post(USERS, headers=headers[Role.VIEWER], json={}), 403, "forbidden")
