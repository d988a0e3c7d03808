"""User administration and sign-in."""

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth import throttle
from billing_app.auth.passwords import (
    DUMMY_HASH,
    MIN_PASSWORD_LENGTH,
    check_new_password,
    hash_password,
    verify_password,
)
from billing_app.auth.permissions import Action, require
from billing_app.auth.sessions import sessions_revoke_for_user
from billing_app.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
    ValidationFailed,
)
from billing_app.models.clients import Client
from billing_app.models.users import ApiToken, Role, User, UserCreate
from billing_app.models.base import utcnow
from billing_app.services.audit import audit_record
from billing_app.services.validation import validated

INVALID_LOGIN = "Invalid email or password."


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_authenticate(session: Session, *, email: str, password: str) -> User:
    """The active user with these credentials; one message for every failure."""
    email = normalize_email(email or "")
    user = None
    if "\x00" not in email:
        user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        verify_password(password or "", DUMMY_HASH)  # same time as a real check
        raise NotAuthenticated(INVALID_LOGIN)
    if not verify_password(password or "", user.password_hash) or not user.is_active:
        raise NotAuthenticated(INVALID_LOGIN)
    return user


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That user does not exist.")
    return user


def _check_client_link(session: Session, role: Role, client_id: int | None) -> int | None:
    if role != Role.CLIENT:
        return None
    if client_id is None:
        raise ValidationFailed("Choose the client this user belongs to.", field="client_id")
    if session.get(Client, client_id) is None:
        raise ValidationFailed("That client does not exist.", field="client_id")
    return client_id


def user_create(session: Session, *, actor: User, **data) -> User:
    require(actor, Action.USERS_MANAGE)
    payload = validated(UserCreate, data)
    email = normalize_email(payload.email)
    if session.exec(select(func.count()).select_from(User).where(User.email == email)).one():
        raise Conflict("A user with this email already exists.", field="email")
    user = User(
        email=email,
        name=payload.name.strip(),
        role=payload.role,
        password_hash=hash_password(payload.password),
        client_id=_check_client_link(session, payload.role, payload.client_id),
        phone=payload.phone or None,
        address=payload.address or None,
    )
    session.add(user)
    session.flush()
    audit_record(session, actor=actor, action="user.create", entity_type="user", entity_id=user.id,
                 details={"email": email, "role": user.role.value, "client_id": user.client_id})
    return user


def _would_remove_last_admin(session: Session, user: User) -> bool:
    if user.role != Role.ADMIN or not user.is_active:
        return False
    admins = session.exec(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active)
    ).one()
    return admins <= 1


def user_change_role(
    session: Session, *, actor: User, user_id: int, role: str, client_id: int | None = None
) -> User:
    require(actor, Action.USERS_MANAGE)
    user = _get_user(session, user_id)
    try:
        new_role = Role(role)
    except ValueError:
        raise ValidationFailed("Choose a valid role.", field="role") from None
    if new_role != Role.ADMIN and _would_remove_last_admin(session, user):
        raise Conflict("The last active admin cannot lose the admin role.", field="role")
    old_role, old_client_id = user.role, user.client_id
    user.client_id = _check_client_link(session, new_role, client_id or user.client_id)
    user.role = new_role
    session.add(user)
    sessions_revoke_for_user(session, user.id)  # the new rights apply from the next sign-in
    details = {"from": Role(old_role).value, "to": new_role.value}
    if user.client_id != old_client_id:  # which company's invoices the user can read
        details |= {"client_id_from": old_client_id, "client_id_to": user.client_id}
    audit_record(session, actor=actor, action="user.change_role", entity_type="user",
                 entity_id=user.id, details=details)
    session.flush()
    return user


def user_set_active(session: Session, *, actor: User, user_id: int, active: bool) -> User:
    require(actor, Action.USERS_MANAGE)
    user = _get_user(session, user_id)
    if not active:
        if actor.id == user.id:
            raise Conflict("You cannot deactivate your own account.")
        if _would_remove_last_admin(session, user):
            raise Conflict("The last active admin cannot be deactivated.")
        sessions_revoke_for_user(session, user.id)
        _revoke_api_tokens(session, user.id)
    user.is_active = active
    session.add(user)
    audit_record(session, actor=actor, action="user.activate" if active else "user.deactivate",
                 entity_type="user", entity_id=user.id)
    session.flush()
    return user


def user_reset_password(session: Session, *, actor: User, user_id: int, password: str) -> User:
    require(actor, Action.USERS_MANAGE)
    user = _get_user(session, user_id)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    user.password_hash = hash_password(password)
    session.add(user)
    sessions_revoke_for_user(session, user.id)
    _revoke_api_tokens(session, user.id)
    audit_record(session, actor=actor, action="user.reset_password", entity_type="user",
                 entity_id=user.id)
    session.flush()
    return user


def user_password_confirm(actor: User, password: str, *, field: str,
                          wrong: str = "The password is not right.") -> None:
    """The signed-in user proves it is the owner, not someone at an open tab. Wrong passwords
    count as failed sign-ins (the same throttle), so this is no side door for guessing."""
    wait = throttle.sign_in_wait(actor.email, None)
    if wait:
        raise TooManyRequests(f"Too many wrong attempts. Try again in {wait} seconds.",
                              retry_after=wait)
    if not verify_password(password or "", actor.password_hash):
        throttle.sign_in_failed(actor.email, None)
        raise ValidationFailed(wrong, field=field)


def user_change_password(session: Session, *, actor: User, current_password: str,
                         new_password: str, keep_session_token: str | None) -> User:
    """Self-service: the current password proves it is the owner, not someone at an open tab.

    Ends every other browser session and every API login; wrong current passwords count
    as failed sign-ins (the same throttle), so this is no side door for guessing.
    """
    require(actor, Action.OWN_ACCOUNT)
    user_password_confirm(actor, current_password, field="current_password",
                          wrong="The current password is not right.")
    check_new_password(new_password)
    actor.password_hash = hash_password(new_password)
    session.add(actor)
    sessions_revoke_for_user(session, actor.id, keep_token=keep_session_token)
    _revoke_api_tokens(session, actor.id)
    audit_record(session, actor=actor, action="user.change_password", entity_type="user",
                 entity_id=actor.id)
    session.flush()
    return actor


def user_sign_out_everywhere(session: Session, *, actor: User) -> None:
    """End all of the actor's browser sessions and API logins, this one included."""
    require(actor, Action.OWN_ACCOUNT)
    sessions_revoke_for_user(session, actor.id)
    _revoke_api_tokens(session, actor.id)
    audit_record(session, actor=actor, action="auth.sign_out_everywhere", entity_type="user",
                 entity_id=actor.id)
    session.flush()


def _revoke_api_tokens(session: Session, user_id: int) -> None:
    now = utcnow()
    for token in session.exec(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = now
        session.add(token)
