"""Signing in and out, in the browser and on the API: throttled, logged and audited.

Failures are written to the audit log too, so the edge commits also when it refuses.
"""

import logging

from sqlmodel import Session

from billing_app.auth import throttle
from billing_app.auth.sessions import session_open, session_revoke
from billing_app.auth.tokens import (
    RefreshTokenReused,
    TokenLogin,
    TokenPair,
    token_refresh,
    token_revoke,
    tokens_issue,
)
from billing_app.errors import NotAuthenticated, TooManyRequests
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.users import normalize_email, user_authenticate

log = logging.getLogger(__name__)

THROTTLED = "Too many failed sign-ins. Please wait a few minutes and try again."


def sign_in(session: Session, *, email: str, password: str, ip_address: str | None,
            channel: str) -> User | None:
    """The user behind these credentials, or None (the failure is counted and audited).

    Raises TooManyRequests before any password is checked while the account or the address
    has to wait; that costs no hashing, so a flood cannot use the server's memory.
    """
    email = normalize_email(email or "")[:254]
    wait = throttle.sign_in_wait(email, ip_address)
    if wait:
        log.warning("sign-in throttled for %r from %s (%ss)", email, ip_address, wait)
        raise TooManyRequests(THROTTLED, retry_after=wait)
    where = {"email": email, "ip": ip_address, "channel": channel}
    try:
        user = user_authenticate(session, email=email, password=password)
    except NotAuthenticated:
        failure = throttle.sign_in_failed(email, ip_address)
        log.warning("failed sign-in for %r from %s", email, ip_address)
        audit_record(session, actor=None, action="auth.sign_in_failed", entity_type="user",
                     details=where)
        if failure.locked:
            log.warning("account %r locked out after repeated failed sign-ins", email)
            audit_record(session, actor=None, action="auth.lockout", entity_type="user",
                         details=where)
        session.flush()
        return None
    throttle.sign_in_succeeded(email)
    audit_record(session, actor=user, action="auth.sign_in", entity_type="user",
                 entity_id=user.id, details={"ip": ip_address, "channel": channel})
    return user


def browser_sign_in(session: Session, *, email: str, password: str, previous_token: str | None,
                    user_agent: str | None, ip_address: str | None) -> str | None:
    """A new session token for the cookie, or None for wrong credentials.

    The browser's previous session ends, whoever it belonged to (no session fixation).
    """
    user = sign_in(session, email=email, password=password, ip_address=ip_address,
                   channel="browser")
    if user is None:
        return None
    session_revoke(session, previous_token)
    return session_open(session, user, user_agent=user_agent, ip_address=ip_address)


def browser_sign_out(session: Session, *, token: str | None, ip_address: str | None) -> None:
    ended = session_revoke(session, token)
    if ended is not None:
        audit_record(session, actor=session.get(User, ended.user_id), action="auth.sign_out",
                     entity_type="user", entity_id=ended.user_id,
                     details={"ip": ip_address, "channel": "browser"})
        session.flush()


def api_sign_in(session: Session, *, email: str, password: str,
                ip_address: str | None) -> TokenPair | None:
    """A first token pair, or None for wrong credentials."""
    user = sign_in(session, email=email, password=password, ip_address=ip_address, channel="api")
    if user is None:
        return None
    pair = tokens_issue(session, user)
    audit_record(session, actor=user, action="auth.token_issue", entity_type="api_token",
                 entity_id=pair.sid, details={"ip": ip_address})
    session.flush()
    return pair


def api_refresh(session: Session, *, refresh_token: str,
                ip_address: str | None) -> TokenPair | None:
    """A new pair, or None; a reused refresh token ends its login and is audited."""
    try:
        return token_refresh(session, refresh_token)
    except RefreshTokenReused as reuse:
        row = reuse.api_token
        log.warning("refresh token reused for API login %s from %s: login revoked", row.id,
                    ip_address)
        audit_record(session, actor=session.get(User, row.user_id), action="auth.refresh_reuse",
                     entity_type="api_token", entity_id=row.id, details={"ip": ip_address})
        session.flush()
        return None


def api_sign_out(session: Session, *, login: TokenLogin, ip_address: str | None) -> None:
    token_revoke(session, login.sid)
    audit_record(session, actor=login.user, action="auth.sign_out", entity_type="api_token",
                 entity_id=login.sid, details={"ip": ip_address, "channel": "api"})
    session.flush()
