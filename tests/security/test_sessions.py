"""Absolute session lifetime; password change and "sign out everywhere", which both end the
other sessions."""

from datetime import timedelta

import pytest
from sqlmodel import select

from billing_app.auth.sessions import session_open, session_user
from billing_app.auth.tokens import token_refresh, token_resolve, tokens_issue
from billing_app.errors import TooManyRequests, ValidationFailed
from billing_app.models.audit import AuditLog
from billing_app.models.base import utcnow
from billing_app.models.users import ApiToken, UserSession
from billing_app.services.users import user_change_password, user_sign_out_everywhere
from tests.support.factories import PASSWORD

NEW_PASSWORD = "a brand new password 2026"


def test_a_session_in_use_still_ends_at_its_absolute_limit(db, viewer):
    token = session_open(db, viewer)
    row = db.exec(select(UserSession).where(UserSession.user_id == viewer.id)).one()
    row.created_at = utcnow() - timedelta(hours=167)
    row.last_seen_at = utcnow() - timedelta(minutes=5)  # used a moment ago: slides forward
    db.add(row)
    db.flush()

    assert session_user(db, token) == viewer
    assert row.expires_at <= row.created_at + timedelta(hours=168)

    row.created_at = utcnow() - timedelta(hours=169)
    row.expires_at = utcnow() + timedelta(hours=5)
    db.add(row)
    db.flush()
    assert session_user(db, token) is None


def test_refreshing_never_carries_an_api_login_past_its_absolute_limit(db, viewer):
    pair = tokens_issue(db, viewer)
    row = db.get(ApiToken, pair.sid)
    row.created_at = utcnow() - timedelta(hours=167)
    db.add(row)
    db.flush()

    renewed = token_refresh(db, pair.refresh_token)

    assert renewed is not None
    assert row.expires_at <= row.created_at + timedelta(hours=168)
    assert renewed.expires_in <= 3600
    row.expires_at = utcnow() - timedelta(seconds=1)  # the absolute limit is reached
    db.add(row)
    db.flush()
    assert token_resolve(db, renewed.access_token) is None


def test_changing_the_password_ends_the_other_sessions_and_api_logins(db, accountant):
    here = session_open(db, accountant)
    elsewhere = session_open(db, accountant)
    pair = tokens_issue(db, accountant)

    user_change_password(db, actor=accountant, current_password=PASSWORD,
                         new_password=NEW_PASSWORD, keep_session_token=here)

    assert session_user(db, here) == accountant
    assert session_user(db, elsewhere) is None
    assert token_resolve(db, pair.access_token) is None
    assert db.exec(select(AuditLog.action).where(AuditLog.entity_id == str(accountant.id))
                   .order_by(AuditLog.id.desc())).first() == "user.change_password"


@pytest.mark.parametrize(("current", "new", "field"), [
    ("not the password", NEW_PASSWORD, "current_password"),
    (PASSWORD, "short", "new_password"),
])
def test_a_password_change_needs_the_current_password_and_a_long_new_one(db, accountant,
                                                                         current, new, field):
    with pytest.raises(ValidationFailed) as refused:
        user_change_password(db, actor=accountant, current_password=current, new_password=new,
                             keep_session_token=None)
    assert refused.value.field == field


def test_guessing_the_current_password_is_throttled_like_a_sign_in(db, accountant, settings_env):
    settings_env(LOGIN_ACCOUNT_LIMITS="2/minute")
    for _ in range(2):
        with pytest.raises(ValidationFailed):
            user_change_password(db, actor=accountant, current_password="guess",
                                 new_password=NEW_PASSWORD, keep_session_token=None)
    with pytest.raises(TooManyRequests):
        user_change_password(db, actor=accountant, current_password=PASSWORD,
                             new_password=NEW_PASSWORD, keep_session_token=None)


def test_signing_out_everywhere_ends_every_session_and_api_login(db, client_user):
    tokens = [session_open(db, client_user) for _ in range(2)]
    pair = tokens_issue(db, client_user)

    user_sign_out_everywhere(db, actor=client_user)

    assert [session_user(db, token) for token in tokens] == [None, None]
    assert token_resolve(db, pair.access_token) is None
