"""Browser sign-in and sign-out: form posts, the session cookie, safe redirects."""

from urllib.parse import quote

import pytest

from billing_app.auth.redirects import safe_local_path
from billing_app.auth.sessions import session_user
from billing_app.db import session_scope
from billing_app.models.users import Role
from billing_app.settings import get_settings
from tests.api.conftest import assert_error
from tests.support.factories import PASSWORD


def _cookie_header(response) -> str:
    name = get_settings().session_cookie_name
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


def _resolves(token: str) -> bool:
    with session_scope() as session:
        return session_user(session, token) is not None


def _sign_in(api, email, password=PASSWORD, **extra):
    return api.post("/auth/login", data={"email": email, "password": password, **extra})


def test_login_sets_a_strict_http_only_session_cookie_and_redirects(api, accounts):
    response = _sign_in(api, accounts[Role.ACCOUNTANT].email, next="/invoices?status=open")

    assert response.status_code == 303
    assert response.headers["location"] == "/invoices?status=open"
    header = _cookie_header(response)
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"httponly", "samesite", "path"} <= attributes
    assert "samesite=strict" in header.lower() and "path=/" in header.lower()
    assert not attributes & {"max-age", "expires", "secure"}
    token = api.cookies[get_settings().session_cookie_name]
    assert _resolves(token)


def test_wrong_password_redirects_back_without_a_cookie(api, accounts):
    response = _sign_in(api, accounts[Role.VIEWER].email, "wrong password!!", next="/reports?x=1")
    assert response.status_code == 303
    expected = f"/login?error=invalid&next={quote('/reports?x=1', safe='')}"
    assert response.headers["location"] == expected
    assert "set-cookie" not in response.headers

    bare = api.post("/auth/login", data={"email": "nobody@example.com", "password": "x"})
    assert bare.headers["location"] == "/login?error=invalid"


@pytest.mark.parametrize("target", ["//evil.com", "/\\evil.com", "https://evil.com/",
                                    "/\t/evil.com", "evil.com", ""])
def test_login_never_redirects_off_site(api, accounts, target):
    response = _sign_in(api, accounts[Role.VIEWER].email, next=target)
    assert response.status_code == 303 and response.headers["location"] == "/"


@pytest.mark.parametrize("target,expected", [
    ("/clients/7", "/clients/7"),
    ("/a?next=//b", "/a?next=//b"),
    ("//evil.com", "/"),
    ("/\\evil.com", "/"),
    ("/ok\\..\\x", "/"),
    ("/\n/evil.com", "/"),
    ("javascript:alert(1)", "/"),
])
def test_safe_local_path(target, expected):
    assert safe_local_path(target) == expected


def test_logout_revokes_the_session_and_deletes_the_cookie(api, accounts):
    _sign_in(api, accounts[Role.ADMIN].email)
    token = api.cookies[get_settings().session_cookie_name]

    response = api.post("/auth/logout")

    assert response.status_code == 303
    assert response.headers["location"] == "/login?signed_out=1"
    header = _cookie_header(response).lower()
    assert "max-age=0" in header or "expires=thu, 01 jan 1970" in header
    assert not _resolves(token)


def test_logout_is_post_only(api, accounts):
    _sign_in(api, accounts[Role.ADMIN].email)
    token = api.cookies[get_settings().session_cookie_name]
    assert_error(api.get("/auth/logout"), 405, "method_not_allowed")
    assert _resolves(token)


def test_forms_posted_from_another_site_are_refused(api, accounts):
    response = api.post("/auth/login", headers={"Origin": "https://evil.example"},
                        data={"email": accounts[Role.ADMIN].email, "password": PASSWORD})
    assert_error(response, 403, "forbidden")
    assert "set-cookie" not in response.headers

    same_site = api.post("/auth/login", headers={"Origin": str(api.base_url).rstrip("/")},
                         data={"email": accounts[Role.ADMIN].email, "password": PASSWORD})
    assert same_site.status_code == 303 and "set-cookie" in same_site.headers


def test_signing_in_again_ends_the_previous_session(api, accounts):
    _sign_in(api, accounts[Role.VIEWER].email)
    first = api.cookies[get_settings().session_cookie_name]
    _sign_in(api, accounts[Role.VIEWER].email)
    assert api.cookies[get_settings().session_cookie_name] != first
    assert not _resolves(first)
