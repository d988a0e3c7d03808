"""Two-factor sign-in for one's own account: set up with a first code, recovery codes shown
once, switched off with the password and a code; and the check at sign-in."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, delete, select

from billing_app.auth import throttle, two_factor
from billing_app.auth.permissions import Action, require
from billing_app.errors import Conflict, PermissionDenied, ValidationFailed
from billing_app.models.base import utcnow
from billing_app.models.users import RecoveryCode, Role, User
from billing_app.queries.company import company_ensure
from billing_app.services.audit import audit_record
from billing_app.services.users import user_password_confirm

WRONG_CODE = "That code is not right (or was used already). Type the current code from your app."
SET_UP_FIRST = "Set up two-factor authentication on your Account page first."


@dataclass(frozen=True)
class TwoFactorSetup:
    secret: str
    """Shown once, for typing into an app that cannot scan."""
    qr_data_uri: str


def two_factor_on(user: User) -> bool:
    return user.totp_enabled_at is not None and user.totp_secret is not None


def two_factor_setup_due(session: Session, user: User) -> bool:
    """An admin without two-factor while the company requires it for admins."""
    return (user.role == Role.ADMIN and not two_factor_on(user)
            and company_ensure(session).require_admin_two_factor)


def two_factor_setup_require(session: Session, user: User) -> User:
    """The user, unless two-factor set-up is due: then nothing but the Account page and signing
    out. Reads the company only for an admin without two-factor."""
    if two_factor_setup_due(session, user):
        raise PermissionDenied(SET_UP_FIRST)
    return user


def two_factor_begin(session: Session, *, actor: User) -> TwoFactorSetup:
    """A new secret, kept (sealed) until a first code confirms it; not on before that."""
    require(actor, Action.OWN_ACCOUNT)
    if two_factor_on(actor):
        raise Conflict("Two-factor sign-in is already on.")
    secret = two_factor.secret_new()
    actor.totp_secret = two_factor.secret_seal(secret)
    actor.totp_enabled_at = actor.totp_last_step = None
    session.add(actor)
    session.flush()
    uri = two_factor.provisioning_uri(secret, actor.email)
    return TwoFactorSetup(secret=secret, qr_data_uri=two_factor.qr_data_uri(uri))


def _recovery_codes_replace(session: Session, user: User) -> list[str]:
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = two_factor.recovery_codes_new()
    session.add_all([RecoveryCode(user_id=user.id, code_hash=two_factor.recovery_code_digest(code))
                     for code in codes])
    return codes


def _totp_accept(session: Session, user: User, code: str, at: datetime) -> bool:
    secret = two_factor.secret_open(user.totp_secret) if user.totp_secret else None
    step = two_factor.code_step(secret, code, at, user.totp_last_step) if secret else None
    if step is None:
        return False
    user.totp_last_step = step
    session.add(user)
    return True


def two_factor_confirm(session: Session, *, actor: User, code: str,
                       at: datetime | None = None) -> list[str]:
    """Switch two-factor on with the first code from the app; the ten recovery codes, to show once."""
    require(actor, Action.OWN_ACCOUNT)
    if two_factor_on(actor) or actor.totp_secret is None:
        raise Conflict("Start the set-up first.")
    if not _totp_accept(session, actor, code, at or utcnow()):
        raise ValidationFailed(WRONG_CODE, field="code")
    actor.totp_enabled_at = utcnow()
    session.add(actor)
    codes = _recovery_codes_replace(session, actor)
    audit_record(session, actor=actor, action="user.two_factor_on", entity_type="user",
                 entity_id=actor.id)
    session.flush()
    return codes


def second_factor_check(session: Session, user: User, code: str, *,
                        at: datetime | None = None) -> bool:
    """A current TOTP code (once) or an unused recovery code (used up now)."""
    if not two_factor_on(user):
        return False
    if _totp_accept(session, user, code, at or utcnow()):
        session.flush()
        return True
    recovery = session.exec(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id,
        RecoveryCode.code_hash == two_factor.recovery_code_digest(code),
        RecoveryCode.used_at.is_(None)).with_for_update()).first()
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    session.add(recovery)
    audit_record(session, actor=user, action="auth.recovery_code_used", entity_type="user",
                 entity_id=user.id)
    session.flush()
    return True


def two_factor_disable(session: Session, *, actor: User, password: str, code: str,
                       at: datetime | None = None) -> None:
    """Off again, proven by the password and a code (or a recovery code); both are throttled."""
    require(actor, Action.OWN_ACCOUNT)
    if not two_factor_on(actor):
        raise Conflict("Two-factor sign-in is not on.")
    user_password_confirm(actor, password, field="password")
    if not second_factor_check(session, actor, code, at=at):
        throttle.sign_in_failed(actor.email, None)
        raise ValidationFailed(WRONG_CODE, field="code")
    actor.totp_secret = actor.totp_enabled_at = actor.totp_last_step = None
    session.add(actor)
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == actor.id))
    audit_record(session, actor=actor, action="user.two_factor_off", entity_type="user",
                 entity_id=actor.id)
    session.flush()
