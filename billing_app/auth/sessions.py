"""Server-side browser sessions. The browser keeps an opaque token in an HttpOnly cookie.

A session slides forward while used (idle limit) but never past its absolute limit after
sign-in, so a stolen cookie kept busy still dies.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from billing_app.models.base import utcnow
from billing_app.models.users import User, UserSession
from billing_app.settings import get_settings

_TOUCH_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle() -> timedelta:
    return timedelta(hours=get_settings().session_idle_hours)


def _absolute() -> timedelta:
    return timedelta(hours=get_settings().session_absolute_hours)


def _expiry(created_at: datetime, now: datetime) -> datetime:
    return min(now + _idle(), created_at + _absolute())


def session_open(
    session: Session, user: User, *, user_agent: str | None = None, ip_address: str | None = None
) -> str:
    """Start a session for `user` and return the token for the cookie (shown only once)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=_expiry(now, now),
            user_agent=(user_agent or "")[:300] or None,
            ip_address=ip_address,
        )
    )
    user.last_login_at = now
    session.add(user)
    session.flush()
    return token


def session_user(session: Session, token: str | None) -> User | None:
    """The active user behind a session token, or None if missing, expired or revoked.

    Each use slides the idle expiry forward (written at most once a minute), up to the
    absolute limit.
    """
    if not token:
        return None
    row = session.exec(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    user_session, user = row
    now = utcnow()
    if (user_session.revoked_at is not None or user_session.expires_at <= now
            or user_session.created_at + _absolute() <= now or not user.is_active):
        return None
    if now - user_session.last_seen_at >= _TOUCH_EVERY:
        user_session.last_seen_at = now
        user_session.expires_at = _expiry(user_session.created_at, now)
        session.add(user_session)
        session.flush()
    return user


def session_revoke(session: Session, token: str | None) -> UserSession | None:
    """End the session behind `token`; the session it ended, if it was still open."""
    if not token:
        return None
    user_session = session.exec(
        select(UserSession).where(UserSession.token_hash == _digest(token))
    ).first()
    if user_session is None or user_session.revoked_at is not None:
        return None
    user_session.revoked_at = utcnow()
    session.add(user_session)
    session.flush()
    return user_session


def sessions_revoke_for_user(session: Session, user_id: int, *,
                             keep_token: str | None = None) -> None:
    """End every open session of a user, except the one behind `keep_token` if given."""
    now = utcnow()
    query = select(UserSession).where(UserSession.user_id == user_id,
                                      UserSession.revoked_at.is_(None))
    if keep_token:
        query = query.where(UserSession.token_hash != _digest(keep_token))
    for user_session in session.exec(query):
        user_session.revoked_at = now
        session.add(user_session)
    session.flush()


def sessions_purge_expired(session: Session) -> int:
    """Delete sessions that ended more than a day ago; returns how many."""
    cutoff = utcnow() - timedelta(days=1)
    stale = session.exec(select(UserSession).where(UserSession.expires_at < cutoff)).all()
    for user_session in stale:
        session.delete(user_session)
    session.flush()
    return len(stale)
