"""Signing in and out, in the browser and on the API: throttled, logged and audited.

Failures are written to the audit log too, so the edge commits also when it refuses.
"""

import logging
from datetime import datetime

from sqlmodel import Session

from billing_app.auth import throttle
from billing_app.auth.sessions import session_open, session_revoke
from billing_app.auth.tokens import (
    RefreshTokenReused,
    TokenLogin,
    TokenPair,
    code_ticket_user,
    token_refresh,
    token_revoke,
    tokens_issue,
)
from billing_app.errors import NotAuthenticated, PermissionDenied, TooManyRequests
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.two_factor import (
    second_factor_check,
    two_factor_on,
    two_factor_setup_due,
)
from billing_app.services.users import normalize_email, user_authenticate

log = logging.getLogger(__name__)

THROTTLED = "Too many failed sign-ins. Please wait a few minutes and try again."
CODE_REQUIRED = ("This account uses two-factor sign-in: send the current code of the "
                 "authenticator app, or a recovery code, as totp_code.")
TICKET_EXPIRED = "The sign-in took too long. Please start again."
SETUP_DUE = ("Admins of this company must use two-factor sign-in: set it up on the Account page "
             "in the browser first.")


class CodeRequired(NotAuthenticated):
    """The password was right and the account uses two-factor: no session until the code is."""

    def __init__(self, user: User) -> None:
        super().__init__(CODE_REQUIRED, field="totp_code")
        self.user = user


def _check_throttle(email: str, ip_address: str | None) -> None:
    wait = throttle.sign_in_wait(email, ip_address)
    if wait:
        log.warning("sign-in throttled for %r from %s (%ss)", email, ip_address, wait)
        raise TooManyRequests(THROTTLED, retry_after=wait)


def _failed(session: Session, *, email: str, ip_address: str | None, channel: str,
            step: str) -> None:
    """Count and audit a failed password (step "password") or code (step "code")."""
    failure = throttle.sign_in_failed(email, ip_address)
    where = {"email": email, "ip": ip_address, "channel": channel, "step": step}
    log.warning("failed sign-in (%s) for %r from %s", step, email, ip_address)
    audit_record(session, actor=None, action="auth.sign_in_failed", entity_type="user",
                 details=where)
    if failure.locked:
        log.warning("account %r locked out after repeated failed sign-ins", email)
        audit_record(session, actor=None, action="auth.lockout", entity_type="user",
                     details=where)
    session.flush()


def _succeeded(session: Session, user: User, *, ip_address: str | None, channel: str) -> User:
    throttle.sign_in_succeeded(user.email)
    audit_record(session, actor=user, action="auth.sign_in", entity_type="user",
                 entity_id=user.id, details={"ip": ip_address, "channel": channel})
    return user


def sign_in(session: Session, *, email: str, password: str, ip_address: str | None,
            channel: str, code: str | None = None, at: datetime | None = None) -> User | None:
    """The user behind these credentials, or None (the failure is counted and audited).

    Raises TooManyRequests before any password is checked while the account or the address
    has to wait; that costs no hashing, so a flood cannot use the server's memory.
    With two-factor on, `code` (TOTP or recovery code) must be right too; without one,
    CodeRequired. The account's failure count ends only once both were right.
    """
    email = normalize_email(email or "")[:254]
    _check_throttle(email, ip_address)
    try:
        user = user_authenticate(session, email=email, password=password)
    except NotAuthenticated:
        _failed(session, email=email, ip_address=ip_address, channel=channel, step="password")
        return None
    if two_factor_on(user):
        if code is None:
            raise CodeRequired(user)
        if not second_factor_check(session, user, code, at=at):
            _failed(session, email=email, ip_address=ip_address, channel=channel, step="code")
            return None
    return _succeeded(session, user, ip_address=ip_address, channel=channel)


def sign_in_code(session: Session, *, user: User, code: str, ip_address: str | None,
                 channel: str, at: datetime | None = None) -> User | None:
    """The second step, for a user whose password was just right; None for a wrong code."""
    _check_throttle(user.email, ip_address)
    if not second_factor_check(session, user, code, at=at):
        _failed(session, email=user.email, ip_address=ip_address, channel=channel, step="code")
        return None
    return _succeeded(session, user, ip_address=ip_address, channel=channel)


def browser_sign_in(session: Session, *, email: str, password: str, previous_token: str | None,
                    user_agent: str | None, ip_address: str | None) -> str | None:
    """A new session token for the cookie, or None for wrong credentials.

    Raises CodeRequired when the account uses two-factor (see browser_sign_in_code).
    The browser's previous session ends, whoever it belonged to (no session fixation).
    """
    user = sign_in(session, email=email, password=password, ip_address=ip_address,
                   channel="browser")
    if user is None:
        return None
    return _open(session, user, previous_token=previous_token, user_agent=user_agent,
                 ip_address=ip_address)


def browser_sign_in_code(session: Session, *, ticket: str | None, code: str,
                         previous_token: str | None, user_agent: str | None,
                         ip_address: str | None) -> str | None:
    """Second step: a session token once the code is right, None for a wrong code.

    Raises NotAuthenticated when the ticket of the first step is missing or expired.
    """
    user = code_ticket_user(session, ticket)
    if user is None:
        raise NotAuthenticated(TICKET_EXPIRED)
    user = sign_in_code(session, user=user, code=code, ip_address=ip_address, channel="browser")
    if user is None:
        return None
    return _open(session, user, previous_token=previous_token, user_agent=user_agent,
                 ip_address=ip_address)


def _open(session: Session, user: User, *, previous_token: str | None, user_agent: str | None,
          ip_address: str | None) -> str:
    session_revoke(session, previous_token)
    return session_open(session, user, user_agent=user_agent, ip_address=ip_address)


def browser_sign_out(session: Session, *, token: str | None, ip_address: str | None) -> None:
    ended = session_revoke(session, token)
    if ended is not None:
        audit_record(session, actor=session.get(User, ended.user_id), action="auth.sign_out",
                     entity_type="user", entity_id=ended.user_id,
                     details={"ip": ip_address, "channel": "browser"})
        session.flush()


def api_sign_in(session: Session, *, email: str, password: str, ip_address: str | None,
                totp_code: str | None = None, at: datetime | None = None) -> TokenPair | None:
    """A first token pair, or None for wrong credentials (or a wrong two-factor code).

    Raises CodeRequired without a code for an account with two-factor on, and
    PermissionDenied for an admin who has yet to set two-factor up when the company requires it.
    """
    user = sign_in(session, email=email, password=password, ip_address=ip_address, channel="api",
                   code=totp_code, at=at)
    if user is None:
        return None
    if two_factor_setup_due(session, user):
        raise PermissionDenied(SETUP_DUE)
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
