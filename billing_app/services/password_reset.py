"""Password reset by email: a single-use link that expires, whose token is stored only as a
SHA-256. Asking gives the same answer whether the address is known or not; the reset ends
every session and API login of the user and lifts a sign-in lockout.
"""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from billing_app.auth import throttle
from billing_app.auth.passwords import check_new_password, hash_password
from billing_app.auth.sessions import sessions_revoke_for_user
from billing_app.errors import ValidationFailed
from billing_app.mail.links import password_reset_link
from billing_app.mail.outbox import outbox_queue
from billing_app.models.base import utcnow
from billing_app.models.users import PasswordResetToken, User
from billing_app.queries.company import company_ensure
from billing_app.services.audit import audit_record
from billing_app.services.users import _revoke_api_tokens, normalize_email
from billing_app.settings import get_settings

log = logging.getLogger(__name__)

LINK_NOT_VALID = ("This reset link does not work any more: it was used already, it expired, "
                  "or a newer one was sent. Please ask for a new link.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_reset_request(session: Session, *, email: str, ip_address: str | None,
                           now: datetime | None = None) -> None:
    """Email a reset link if `email` belongs to an active user; otherwise do nothing, silently.

    An account that had its share of emails gets none. The edge answers before this runs
    (the same answer, at the same speed, for every address) and throttles the address first.
    """
    email = normalize_email(email or "")[:254]
    user = None
    if "\x00" not in email:
        user = session.exec(select(User).where(User.email == email, User.is_active)).first()
    if user is None or not throttle.password_reset_email_allowed(email):
        log.info("password reset asked for an unknown, inactive or throttled account from %s",
                 ip_address)
        return
    now = now or utcnow()
    minutes = get_settings().password_reset_minutes
    token = secrets.token_urlsafe(32)
    session.add(PasswordResetToken(user_id=user.id, token_hash=_digest(token), created_at=now,
                                   expires_at=now + timedelta(minutes=minutes)))
    outbox_queue(session, template="password_reset", to_address=user.email,
                 kind="password_reset",
                 context={"user_name": user.name, "company_name": company_ensure(session).name,
                          "link": password_reset_link(token), "valid_minutes": minutes})
    audit_record(session, actor=None, action="auth.password_reset_requested", entity_type="user",
                 entity_id=user.id, details={"ip": ip_address})
    session.flush()


def password_reset_complete(session: Session, *, token: str, new_password: str,
                            ip_address: str | None, now: datetime | None = None) -> User:
    """Set the new password behind a valid link; the link and any other of the user's are used up.

    Ends every browser session and API login of the user and clears the sign-in lockout
    (owning the mailbox is the proof the lockout waits for).
    """
    now = now or utcnow()
    row = session.exec(select(PasswordResetToken)
                       .where(PasswordResetToken.token_hash == _digest(token or ""))
                       .with_for_update()).first()
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or row.used_at is not None or row.expires_at <= now or not user.is_active:
        raise ValidationFailed(LINK_NOT_VALID, field="token")
    check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    session.add(user)
    for unused in session.exec(select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))):
        unused.used_at = now
        session.add(unused)
    sessions_revoke_for_user(session, user.id)
    _revoke_api_tokens(session, user.id)
    throttle.sign_in_succeeded(user.email)
    audit_record(session, actor=user, action="auth.password_reset", entity_type="user",
                 entity_id=user.id, details={"ip": ip_address})
    session.flush()
    return user
