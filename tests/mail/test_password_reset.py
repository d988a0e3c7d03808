"""Password reset by email: the link arrives through the outbox, a real Celery worker and a
real SMTP server, works once, expires, ends every session, lifts a lockout; an unknown
address gets the same answer and no email."""

import re
import statistics
import time
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from billing_app.api.app import create_api
from billing_app.auth import throttle
from billing_app.auth.sessions import session_open, session_user
from billing_app.auth.tokens import tokens_issue
from billing_app.db import session_scope
from billing_app.errors import ValidationFailed
from billing_app.models.audit import AuditLog
from billing_app.models.base import utcnow
from billing_app.models.messaging import EmailOutbox
from billing_app.models.users import ApiToken, PasswordResetToken, Role
from billing_app.services.password_reset import password_reset_complete, password_reset_request
from billing_app.settings import get_settings
from tests.support.factories import PASSWORD, make_user

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"https?://\S+/reset-password\?token=([\w-]+)")


@pytest.fixture
def web(mail_stack):
    with TestClient(create_api(), base_url="http://localhost:8000",
                    follow_redirects=False) as client:
        yield client


def forgot(web: TestClient, email: str):
    return web.post("/auth/forgot-password", data={"email": email})


def reset(web: TestClient, token: str, password: str = NEW_PASSWORD, repeat: str | None = None):
    return web.post("/auth/reset-password", data={
        "token": token, "new_password": password,
        "repeat_password": password if repeat is None else repeat})


def signed_in_everywhere(email: str) -> tuple[str, str]:
    """A committed user with an open browser session and an API login: (session token, sid)."""
    with session_scope() as session:
        user = make_user(session, Role.ACCOUNTANT, email=email)
        return session_open(session, user), tokens_issue(session, user).sid


def test_the_emailed_link_sets_a_new_password_once_and_ends_every_session(
        web, smtp_server):
    smtp_server.clear()
    email = f"reset-{uuid.uuid4().hex[:8]}@fjord.example"
    cookie_token, api_sid = signed_in_everywhere(email)

    unknown = forgot(web, f"nobody-{uuid.uuid4().hex[:8]}@fjord.example")
    known = forgot(web, email.upper())

    assert (unknown.status_code, unknown.headers["location"]) == (
        known.status_code, known.headers["location"]) == (303, "/forgot-password?sent=1")
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == email
    body = message.get_body(("plain",)).get_content()
    token = LINK.search(body).group(1)
    assert "30 minutes" in body
    with session_scope() as session:  # only the hash is kept
        assert session.exec(select(PasswordResetToken).where(
            PasswordResetToken.token_hash == token)).first() is None
        assert token not in str(session.exec(select(PasswordResetToken.token_hash)).all())

    done = reset(web, token)
    assert (done.status_code, done.headers["location"]) == (303, "/login?reset=1")
    again = reset(web, token, "yet another passphrase")
    assert again.headers["location"].endswith("&error=token")

    with session_scope() as session:
        assert session_user(session, cookie_token) is None
        assert session.get(ApiToken, api_sid).revoked_at is not None
        assert session.exec(select(AuditLog.action).where(
            AuditLog.action.like("auth.password_reset%"))).all()[-2:] == [
            "auth.password_reset_requested", "auth.password_reset"]
    signed_in = web.post("/api/v1/auth/token", json={"email": email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 200
    assert web.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD}
                    ).status_code == 401
    time.sleep(1)  # the unknown address got nothing
    assert [m["To"] for m in smtp_server.messages] == [email]


def test_known_and_unknown_addresses_take_about_the_same_time(web, smtp_server):
    email = f"timing-{uuid.uuid4().hex[:8]}@fjord.example"
    signed_in_everywhere(email)

    def took(address: str) -> float:
        started = time.monotonic()
        assert forgot(web, address).headers["location"] == "/forgot-password?sent=1"
        return time.monotonic() - started

    took("warm-up@fjord.example")
    known, unknown = [], []
    for _ in range(3):
        known.append(took(email))
        unknown.append(took(f"ghost-{uuid.uuid4().hex[:8]}@fjord.example"))
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.05, (known, unknown)


def test_two_different_passwords_or_an_unknown_token_are_refused(web):
    assert reset(web, "whatever", repeat="something else").headers["location"].endswith(
        "error=differ")
    assert reset(web, "not-a-token").headers["location"].endswith("error=token")


def reset_token_sent(db, email: str, **when) -> str:
    before = db.exec(select(EmailOutbox.id).order_by(EmailOutbox.id.desc())).first() or 0
    password_reset_request(db, email=email, ip_address="192.0.2.7", **when)
    body = db.exec(select(EmailOutbox.body_text).where(EmailOutbox.id > before,
                                                       EmailOutbox.to_address == email)).one()
    return LINK.search(body).group(1)


def test_an_expired_link_is_refused(db):
    user = make_user(db, Role.VIEWER)
    token = reset_token_sent(db, user.email, now=utcnow() - timedelta(minutes=31))

    with pytest.raises(ValidationFailed) as refused:
        password_reset_complete(db, token=token, new_password=NEW_PASSWORD, ip_address=None)
    assert refused.value.field == "token"


def test_a_short_new_password_is_refused_and_the_link_still_works(db):
    user = make_user(db, Role.VIEWER)
    token = reset_token_sent(db, user.email)

    with pytest.raises(ValidationFailed) as refused:
        password_reset_complete(db, token=token, new_password="too short", ip_address=None)
    assert refused.value.field == "new_password"
    password_reset_complete(db, token=token, new_password=NEW_PASSWORD, ip_address=None)


def test_a_locked_out_user_can_reset_and_the_reset_lifts_the_lockout(db):
    user = make_user(db, Role.VIEWER)
    for _ in range(20):  # the default tiers: 5/minute; 10/15 minutes; 20/day
        failure = throttle.sign_in_failed(user.email, None)
    assert failure.locked and throttle.sign_in_wait(user.email, None) > 3600

    token = reset_token_sent(db, user.email)
    password_reset_complete(db, token=token, new_password=NEW_PASSWORD, ip_address=None)

    assert throttle.sign_in_wait(user.email, None) == 0


def test_an_account_gets_only_a_few_emails(db):
    user = make_user(db, Role.VIEWER)
    for _ in range(5):  # the default: 3 per 15 minutes
        password_reset_request(db, email=user.email, ip_address=None)
    assert len(db.exec(select(EmailOutbox).where(EmailOutbox.to_address == user.email)).all()) == 3


def test_an_address_asking_too_often_is_told_to_wait(web, monkeypatch):
    monkeypatch.setenv("PASSWORD_RESET_IP_LIMITS", "2/59 seconds")
    get_settings.cache_clear()
    try:
        answers = [forgot(web, f"flood-{n}@fjord.example").headers["location"] for n in range(3)]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert answers == ["/forgot-password?sent=1"] * 2 + ["/forgot-password?error=too_many"]
