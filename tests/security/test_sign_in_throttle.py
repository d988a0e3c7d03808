"""Sign-in throttling: per account and per address, growing waits, a lockout, audited;
and a cap on password checks running at once."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlmodel import select

from billing_app.auth import passwords
from billing_app.db import session_scope
from billing_app.errors import ServiceBusy
from billing_app.models.audit import AuditLog
from billing_app.models.users import User
from tests.security.conftest import new_user, token_for
from tests.support.factories import PASSWORD


def audit_actions(email: str) -> list[str]:
    """The auth.* audit entries about an email, by what was typed or by who was signed in."""
    with session_scope() as session:
        rows = session.exec(select(AuditLog, User.email)
                            .outerjoin(User, User.id == AuditLog.actor_user_id)
                            .where(AuditLog.action.like("auth.%")).order_by(AuditLog.id)).all()
    return [entry.action for entry, actor_email in rows
            if email in ((entry.details or {}).get("email"), actor_email)]


def test_an_account_waits_longer_after_each_full_window_then_locks(app, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="2/minute;4/hour", LOGIN_IP_LIMITS="100/minute")
    user = new_user()

    assert token_for(app, user.email, "wrong password 1").status_code == 401
    assert token_for(app, user.email, "wrong password 2").status_code == 401
    first_wait = token_for(app, user.email, PASSWORD)  # the right password waits too
    assert first_wait.status_code == 429
    assert first_wait.json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(first_wait.headers["Retry-After"]) <= 60
    assert audit_actions(user.email) == ["auth.sign_in_failed"] * 2  # a wait, not yet a lockout


def test_the_last_window_is_a_lockout_that_is_audited(app, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="10/minute;3/hour", LOGIN_IP_LIMITS="100/minute")
    user = new_user()
    for attempt in range(3):
        assert token_for(app, user.email, f"wrong {attempt}").status_code == 401

    locked = token_for(app, user.email, PASSWORD)

    assert locked.status_code == 429
    assert 60 < int(locked.headers["Retry-After"]) <= 3600
    assert audit_actions(user.email) == ["auth.sign_in_failed"] * 3 + ["auth.lockout"]


def test_a_throttled_attempt_checks_no_password(app, settings_env, monkeypatch):
    settings_env(LOGIN_ACCOUNT_LIMITS="1/minute", LOGIN_IP_LIMITS="100/minute")
    user = new_user()
    assert token_for(app, user.email, "wrong").status_code == 401
    checks = []
    monkeypatch.setattr(passwords, "verify_password", lambda *a: checks.append(a) or False)

    assert token_for(app, user.email, PASSWORD).status_code == 429
    assert checks == []


def test_unknown_accounts_are_throttled_alike(app, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="2/minute", LOGIN_IP_LIMITS="100/minute")
    for _ in range(2):
        assert token_for(app, "nobody@example.com", "x" * 12).status_code == 401
    assert token_for(app, "NoBody@example.com ", "x" * 12).status_code == 429


def test_one_address_guessing_many_accounts_is_throttled(app, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="50/minute", LOGIN_IP_LIMITS="3/minute")
    victims = [new_user() for _ in range(4)]
    answers = [token_for(app, victim.email, "wrong password").status_code for victim in victims]
    assert answers == [401, 401, 401, 429]


def test_a_right_password_clears_the_account_count(app, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="3/minute", LOGIN_IP_LIMITS="100/minute")
    user = new_user()
    for _ in range(2):
        token_for(app, user.email, "wrong")
    assert token_for(app, user.email).status_code == 200
    for _ in range(2):
        assert token_for(app, user.email, "wrong").status_code == 401
    assert token_for(app, user.email).status_code == 200
    assert audit_actions(user.email)[-2:] == ["auth.sign_in", "auth.token_issue"]


def test_the_browser_sign_in_is_throttled_too(app, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="2/minute", LOGIN_IP_LIMITS="100/minute")
    user = new_user()

    def attempt(password: str) -> str:
        response = app.post("/auth/login", data={"email": user.email, "password": password},
                            follow_redirects=False)
        assert response.status_code == 303
        return response.headers["location"]

    assert attempt("wrong").startswith("/login?error=invalid")
    assert attempt("wrong").startswith("/login?error=invalid")
    assert attempt(PASSWORD).startswith("/login?error=throttled")
    assert audit_actions(user.email).count("auth.sign_in_failed") == 2


def test_password_checks_run_a_few_at_a_time(settings_env, monkeypatch):
    """40 sign-ins at once would take 40 x 64 MiB; only the configured number hash at once."""
    settings_env(PASSWORD_HASH_CONCURRENCY="3")
    running, peak, lock = 0, 0, threading.Lock()

    def slow_verify(_password, _hash):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return False

    monkeypatch.setattr(passwords._context, "verify", slow_verify)
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda _: passwords.verify_password("x", "y"), range(40)))

    assert results == [False] * 40
    assert peak == 3


def test_a_sign_in_that_waits_too_long_for_a_check_is_told_to_retry(app, settings_env):
    settings_env(PASSWORD_HASH_CONCURRENCY="1", PASSWORD_HASH_WAIT_SECONDS="0.05")
    user = new_user()
    held = passwords._slots(1)
    held.acquire()
    try:
        with pytest.raises(ServiceBusy):
            passwords.verify_password("x", "y")
        busy = token_for(app, user.email)
    finally:
        held.release()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    assert token_for(app, user.email).status_code == 200


def test_with_redis_the_counts_are_shared_by_every_process(app, settings_env, redis_server):
    """Another process sees the same counters: here, a client of the same Redis."""
    settings_env(REDIS_URL=redis_server.url, LOGIN_ACCOUNT_LIMITS="2/minute",
                 LOGIN_IP_LIMITS="100/minute")
    user = new_user()
    for _ in range(2):
        assert token_for(app, user.email, "wrong").status_code == 401

    keys = redis.Redis.from_url(redis_server.url).keys("*signin-account*")
    assert any(user.email.encode() in key for key in keys)
    assert token_for(app, user.email).status_code == 429
