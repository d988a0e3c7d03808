"""Server-side browser sessions. The browser keeps an opaque token in an HttpOnly cookie."""

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from billing_app.models.base import utcnow
from billing_app.models.users import User, UserSession
from billing_app.settings import get_settings

_TOUCH_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle() -> timedelta:
    return timedelta(hours=get_settings().session_idle_hours)


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
            last_seen_at=now,
            expires_at=now + _idle(),
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

    Each use slides the idle expiry forward (written at most once a minute).
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
    if user_session.revoked_at is not None or user_session.expires_at <= now or not user.is_active:
        return None
    if now - user_session.last_seen_at >= _TOUCH_EVERY:
        user_session.last_seen_at = now
        user_session.expires_at = now + _idle()
        session.add(user_session)
        session.flush()
    return user


def session_revoke(session: Session, token: str | None) -> None:
    if not token:
        return
    user_session = session.exec(
        select(UserSession).where(UserSession.token_hash == _digest(token))
    ).first()
    if user_session is not None and user_session.revoked_at is None:
        user_session.revoked_at = utcnow()
        session.add(user_session)
        session.flush()


def sessions_revoke_for_user(session: Session, user_id: int) -> None:
    now = utcnow()
    for user_session in session.exec(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    ):
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
