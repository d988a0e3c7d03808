"""Two-factor sign-in (TOTP with recovery codes): set-up, the check, the browser's second step,
the API token endpoint, and the company's requirement for admins. Codes are computed with
pyotp from the secret for a chosen moment."""

import re
from datetime import timedelta

import pyotp
import pytest
from reflex.state import State
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from billing_app.auth.permissions import Action
from billing_app.auth.sessions import session_open
from billing_app.db import session_scope
from billing_app.errors import Conflict, ValidationFailed
from billing_app.models.base import utcnow
from billing_app.models.users import RecoveryCode, Role, User
from billing_app.queries.company import company_ensure
from billing_app.services.two_factor import (
    SET_UP_FIRST,
    second_factor_check,
    two_factor_begin,
    two_factor_confirm,
    two_factor_disable,
)
from billing_app.settings import get_settings
from billing_app.ui.states.account import AccountState
from tests.security.conftest import new_user, token_for
from tests.support.factories import PASSWORD, make_user

T0 = utcnow() - timedelta(minutes=10)  # set-up happened a while ago: its code is long used


def code_at(secret: str, moment) -> str:
    return pyotp.TOTP(secret).at(moment)


def test_set_up_confirms_with_a_first_code_and_gives_ten_single_use_recovery_codes(db):
    user = make_user(db, Role.VIEWER)
    setup = two_factor_begin(db, actor=user)
    assert setup.secret not in user.totp_secret  # kept sealed
    assert setup.qr_data_uri.startswith("data:image/svg+xml")
    assert not second_factor_check(db, user, code_at(setup.secret, T0), at=T0)  # not on yet

    with pytest.raises(ValidationFailed):
        two_factor_confirm(db, actor=user, code="000000", at=T0)
    codes = two_factor_confirm(db, actor=user, code=code_at(setup.secret, T0), at=T0)

    assert len(set(codes)) == 10
    stored = db.exec(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert not second_factor_check(db, user, code_at(setup.secret, T0), at=T0)  # used once
    later = T0 + timedelta(seconds=30)
    assert second_factor_check(db, user, code_at(setup.secret, later), at=later)
    assert not second_factor_check(db, user, code_at(setup.secret, later), at=later)
    assert not second_factor_check(db, user, code_at(setup.secret, later + timedelta(minutes=5)),
                                   at=later)  # a code from the future is wrong
    assert second_factor_check(db, user, codes[3].upper(), at=later)
    assert not second_factor_check(db, user, codes[3], at=later)
    with pytest.raises(Conflict):
        two_factor_begin(db, actor=user)


def test_turning_it_off_needs_the_password_and_a_code(db):
    user = make_user(db, Role.VIEWER)
    setup = two_factor_begin(db, actor=user)
    two_factor_confirm(db, actor=user, code=code_at(setup.secret, T0), at=T0)
    now = T0 + timedelta(minutes=1)

    with pytest.raises(ValidationFailed) as wrong_password:
        two_factor_disable(db, actor=user, password="not the password", code=code_at(setup.secret, now), at=now)
    with pytest.raises(ValidationFailed) as wrong_code:
        two_factor_disable(db, actor=user, password=PASSWORD, code="123456", at=now)
    assert (wrong_password.value.field, wrong_code.value.field) == ("password", "code")

    two_factor_disable(db, actor=user, password=PASSWORD, code=code_at(setup.secret, now), at=now)
    assert user.totp_secret is None and user.totp_enabled_at is None
    assert db.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []


def with_two_factor(role: Role = Role.ACCOUNTANT) -> tuple[User, str, list[str]]:
    """A committed user with two-factor on (set up at T0): the user, its secret, its codes."""
    user = new_user(role)
    with session_scope() as session:
        user = session.get(User, user.id)
        setup = two_factor_begin(session, actor=user)
        codes = two_factor_confirm(session, actor=user, code=code_at(setup.secret, T0), at=T0)
    return user, setup.secret, codes


def token_with_code(app, user: User, code: str | None, password: str = PASSWORD):
    return app.post("/api/v1/auth/token",
                    json={"email": user.email, "password": password, "totp_code": code})


def test_the_token_endpoint_asks_for_the_code_and_takes_each_code_once(app):
    user, secret, codes = with_two_factor()

    missing = token_for(app, user.email)
    assert missing.status_code == 401 and "totp_code" in missing.json()["error"]["message"]
    wrong = token_with_code(app, user, "123456")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"] == "Invalid email, password or two-factor code."
    wrong_password = token_with_code(app, user, pyotp.TOTP(secret).now(), password="nope" * 4)
    assert wrong_password.status_code == 401

    code = pyotp.TOTP(secret).now()
    assert token_with_code(app, user, code).status_code == 200
    assert token_with_code(app, user, code).status_code == 401  # no replay
    assert token_with_code(app, user, codes[0]).status_code == 200
    assert token_with_code(app, user, codes[0]).status_code == 401


def test_wrong_codes_are_throttled_like_passwords(app, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="3/minute", LOGIN_IP_LIMITS="100/minute")
    user, secret, _codes = with_two_factor()
    for guess in ("111111", "222222", "333333"):
        assert token_with_code(app, user, guess).status_code == 401

    assert token_with_code(app, user, pyotp.TOTP(secret).now()).status_code == 429


def test_the_browser_gets_no_session_before_the_code(app, settings_env):
    user, secret, _codes = with_two_factor()
    cookie = "billing_session"

    first = app.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                          "next": "/invoices"}, follow_redirects=False)
    assert first.headers["location"] == "/login/code?next=%2Finvoices"
    assert cookie not in first.cookies and f"{cookie}_code" in first.cookies

    wrong = app.post("/auth/login/code", data={"code": "123456", "next": "/invoices"},
                     follow_redirects=False)
    assert wrong.headers["location"] == "/login/code?error=code&next=%2Finvoices"
    assert cookie not in app.cookies

    right = app.post("/auth/login/code", data={"code": pyotp.TOTP(secret).now(),
                                               "next": "/invoices"}, follow_redirects=False)
    assert right.headers["location"] == "/invoices"
    assert right.cookies.get(cookie)

    app.cookies.clear()  # without the first step's ticket there is no second step
    lost = app.post("/auth/login/code", data={"code": pyotp.TOTP(secret).now()},
                    follow_redirects=False)
    assert lost.headers["location"] == "/login?error=expired"


@pytest.fixture
def admins_must_use_two_factor(security_db):
    with session_scope() as session:
        company_ensure(session).require_admin_two_factor = True
    yield
    with session_scope() as session:
        company_ensure(session).require_admin_two_factor = False


def test_an_admin_without_two_factor_gets_no_token_when_the_company_requires_it(
        app, admins_must_use_two_factor):
    plain_admin = new_user(Role.ADMIN)
    refused = token_for(app, plain_admin.email)
    assert refused.status_code == 403 and "two-factor" in refused.json()["error"]["message"]

    admin, secret, _codes = with_two_factor(Role.ADMIN)
    assert token_with_code(app, admin, pyotp.TOTP(secret).now()).status_code == 200
    assert token_for(app, new_user(Role.ACCOUNTANT).email).status_code == 200  # admins only


def session_token(user: User) -> str:
    with session_scope() as session:
        return session_open(session, user)


def signed_in_tab(user: User) -> AccountState:
    """The Account page's state of a tab whose websocket carries the user's session cookie (a
    crafted event reaches any handler of it, or of any other AuthState)."""
    tab = State(_reflex_internal_init=True)
    cookie = f"{get_settings().session_cookie_name}={session_token(user)}"
    tab._update_router_vars({"headers": {"cookie": cookie}}, {})
    return tab.get_substate(AccountState.get_full_name().split("."))


def test_an_admin_without_two_factor_can_only_set_it_up_in_the_browser(admins_must_use_two_factor):
    tab = signed_in_tab(new_user(Role.ADMIN))

    _, refused = tab._run(Action.SETTINGS_MANAGE, lambda db, actor: "saved")
    assert refused.message == SET_UP_FIRST
    assert tab._refusal(Action.INVOICES_WRITE).message == SET_UP_FIRST
    assert tab._run(Action.OWN_ACCOUNT, lambda db, actor: "set up") == ("set up", None)


def test_others_act_as_before_and_no_one_else_pays_a_query_for_it(admins_must_use_two_factor):
    admin, _secret, _codes = with_two_factor(Role.ADMIN)
    tabs = [signed_in_tab(admin), signed_in_tab(new_user(Role.ACCOUNTANT))]
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        for tab in tabs:
            assert tab._run(Action.INVOICES_READ, lambda db, actor: 1) == (1, None)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert statements and not [s for s in statements if re.search(r"\bFROM company\b", s)]

    with session_scope() as session:
        company_ensure(session).require_admin_two_factor = False
    assert signed_in_tab(new_user(Role.ADMIN))._refusal(Action.SETTINGS_MANAGE) is None


def test_a_token_issued_before_the_company_required_two_factor_stops_working(app, security_db):
    admin = new_user(Role.ADMIN)
    token = token_for(app, admin.email).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.get("/api/v1/invoices", headers=bearer).status_code == 200
    with session_scope() as session:
        company_ensure(session).require_admin_two_factor = True
    try:
        for path in ("/api/v1/invoices", "/api/v1/users/me"):
            refused = app.get(path, headers=bearer)
            assert refused.status_code == 403, path
            assert refused.json()["error"]["message"] == SET_UP_FIRST
        assert app.post("/api/v1/auth/revoke", headers=bearer).status_code == 204
    finally:
        with session_scope() as session:
            company_ensure(session).require_admin_two_factor = False


FILE_LINKS = ("/downloads/bulk-jobs/1.zip", "/downloads/clients/1/personal-data.zip",
              "/files/invoices/1.pdf", "/exports/invoices.csv")


def test_an_admin_without_two_factor_downloads_nothing(app, admins_must_use_two_factor):
    name = get_settings().session_cookie_name
    app.cookies.set(name, session_token(new_user(Role.ADMIN)))
    for link in FILE_LINKS:
        refused = app.get(link)
        assert refused.status_code == 403, link
        assert refused.json()["error"]["message"] == SET_UP_FIRST

    admin, _secret, _codes = with_two_factor(Role.ADMIN)
    app.cookies.set(name, session_token(admin))
    assert app.get("/exports/invoices.csv").status_code == 200
