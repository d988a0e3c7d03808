"""API tokens: short-lived access JWTs and rotating refresh JWTs, both tied to one ApiToken row.

The row (its id is the `sid` claim) is the source of truth: revoking it ends both tokens
at once, and its refresh_counter (the `ctr` claim) lets each refresh token be used once.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

import jwt
from sqlmodel import Session, select

from billing_app.models.base import utcnow
from billing_app.models.users import ApiToken, User
from billing_app.settings import get_settings

ALGORITHM = "HS256"
ACCESS = "access"
REFRESH = "refresh"
CODE_TICKET = "sign-in-code"
CODE_TICKET_LIFE = timedelta(minutes=5)
_REQUIRED_CLAIMS = ["exp", "iat", "sub", "sid", "typ"]
_TOUCH_EVERY = timedelta(minutes=1)


class RefreshTokenReused(Exception):
    """A used refresh token came back: its login has been revoked."""

    def __init__(self, api_token: ApiToken) -> None:
        super().__init__(api_token.id)
        self.api_token = api_token


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    """Seconds the access token lives."""
    sid: str
    """The login (ApiToken row) both tokens belong to."""


@dataclass(frozen=True)
class TokenLogin:
    """What a valid access token stands for."""

    user: User
    sid: str


def _access_life() -> timedelta:
    return timedelta(minutes=get_settings().jwt_access_minutes)


def _refresh_life() -> timedelta:
    return timedelta(days=get_settings().jwt_refresh_days)


def _login_end(created_at: datetime, now: datetime) -> datetime:
    """A login's refresh tokens slide forward on use, never past the absolute session limit."""
    absolute = created_at + timedelta(hours=get_settings().session_absolute_hours)
    return min(now + _refresh_life(), absolute)


def token_encode(claims: dict, *, issued_at: datetime, lifetime: timedelta) -> str:
    """Sign `claims` with the app's secret; every token gets its own jti."""
    payload = {**claims, "jti": uuid4().hex, "iat": issued_at, "exp": issued_at + lifetime}
    return jwt.encode(payload, get_settings().secret_key, algorithm=ALGORITHM)


def _decode(token: str, typ: str) -> dict | None:
    try:
        claims = jwt.decode(token, get_settings().secret_key, algorithms=[ALGORITHM],
                            options={"require": _REQUIRED_CLAIMS})
    except jwt.InvalidTokenError:
        return None
    return claims if claims["typ"] == typ else None


def code_ticket_issue(user: User) -> str:
    """Proof for the second sign-in step that this user's password was right a moment ago.

    Tied to the password hash, so a password reset in between voids it.
    """
    return token_encode({"sub": str(user.id), "typ": CODE_TICKET, "pwh": _hash_tag(user)},
                        issued_at=utcnow(), lifetime=CODE_TICKET_LIFE)


def code_ticket_user(session: Session, ticket: str | None) -> User | None:
    """The active user a valid, unexpired ticket stands for, else None."""
    try:
        claims = jwt.decode(ticket or "", get_settings().secret_key, algorithms=[ALGORITHM],
                            options={"require": ["exp", "iat", "sub", "typ", "pwh"]})
    except jwt.InvalidTokenError:
        return None
    if claims["typ"] != CODE_TICKET or not str(claims["sub"]).isdigit():
        return None
    user = session.get(User, int(claims["sub"]))
    if user is None or not user.is_active or claims["pwh"] != _hash_tag(user):
        return None
    return user


def _hash_tag(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def token_subject(access_token: str) -> str | None:
    """The user id a validly signed access token names, without asking the database.

    Good enough to count a user's requests; whether the login is still live is checked later.
    """
    claims = _decode(access_token, ACCESS)
    return str(claims["sub"]) if claims else None


def _pair(row: ApiToken, now: datetime) -> TokenPair:
    claims = {"sub": str(row.user_id), "sid": row.id}
    return TokenPair(
        access_token=token_encode({**claims, "typ": ACCESS}, issued_at=now,
                                  lifetime=min(_access_life(), row.expires_at - now)),
        refresh_token=token_encode({**claims, "typ": REFRESH, "ctr": row.refresh_counter},
                                   issued_at=now, lifetime=row.expires_at - now),
        expires_in=int(min(_access_life(), row.expires_at - now).total_seconds()),
        sid=row.id,
    )


def tokens_issue(session: Session, user: User) -> TokenPair:
    """Start an API login for an authenticated user and return its first token pair."""
    now = utcnow()
    row = ApiToken(id=str(uuid4()), user_id=user.id, created_at=now,
                   expires_at=_login_end(now, now), last_used_at=now)
    session.add(row)
    user.last_login_at = now
    session.add(user)
    session.flush()
    return _pair(row, now)


def _live(session: Session, claims: dict, *, lock: bool = False) -> tuple[ApiToken, User] | None:
    query = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.id == str(claims["sid"]))
    )
    if lock:
        query = query.with_for_update(of=ApiToken)
    row = session.exec(query).first()
    if row is None:
        return None
    api_token, user = row
    if (str(user.id) != str(claims["sub"]) or api_token.revoked_at is not None
            or api_token.expires_at <= utcnow() or not user.is_active):
        return None
    return api_token, user


def token_resolve(session: Session, access_token: str) -> TokenLogin | None:
    """The login behind an access token, or None if it is invalid, expired or revoked.

    Marks the login as used (written at most once a minute).
    """
    claims = _decode(access_token, ACCESS)
    live = claims and _live(session, claims)
    if not live:
        return None
    api_token, user = live
    now = utcnow()
    if api_token.last_used_at is None or now - api_token.last_used_at >= _TOUCH_EVERY:
        api_token.last_used_at = now
        session.add(api_token)
        session.flush()
    return TokenLogin(user=user, sid=api_token.id)


def token_refresh(session: Session, refresh_token: str) -> TokenPair | None:
    """A new pair for the current refresh token of a live login, else None.

    A refresh token that was already used revokes its whole login: either the client or
    a thief holds a copy (refresh token rotation, RFC 9700), and RefreshTokenReused says so.
    The caller must commit then too, so that this revocation is kept.
    """
    claims = _decode(refresh_token, REFRESH)
    live = claims and _live(session, claims, lock=True)
    if not live:
        return None
    api_token, _user = live
    if claims.get("ctr") != api_token.refresh_counter:
        token_revoke(session, api_token.id)
        raise RefreshTokenReused(api_token)
    now = utcnow()
    api_token.refresh_counter += 1
    api_token.expires_at = _login_end(api_token.created_at, now)
    api_token.last_used_at = now
    session.add(api_token)
    session.flush()
    return _pair(api_token, now)


def token_revoke(session: Session, sid: str) -> None:
    """End one API login: its access and refresh tokens stop working at once."""
    api_token = session.get(ApiToken, sid)
    if api_token is not None and api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
        session.add(api_token)
        session.flush()
