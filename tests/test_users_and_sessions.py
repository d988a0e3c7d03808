"""User administration and browser sessions, on PostgreSQL."""

from datetime import timedelta

import pytest
from sqlmodel import select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.auth.passwords import verify_password
from billing_app.auth.permissions import PERMISSIONS, Action, can
from billing_app.auth.sessions import session_open, session_revoke, session_user
from billing_app.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from billing_app.models.audit import AuditLog
from billing_app.models.users import Role, User, UserSession
from billing_app.services.users import (
    user_authenticate,
    user_change_role,
    user_create,
    user_reset_password,
    user_set_active,
)
from tests.support.factories import PASSWORD, make_client, make_user


def test_password_is_stored_as_argon2id_and_verifies(db):
    user = make_user(db, Role.ACCOUNTANT)
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(PASSWORD, user.password_hash)
    assert not verify_password(PASSWORD + "x", user.password_hash)


def test_sign_in_failures_all_say_the_same(db):
    user = make_user(db, Role.VIEWER)
    messages = set()
    for email, password in [(user.email, "wrong password here"), ("nobody@example.com", PASSWORD)]:
        with pytest.raises(NotAuthenticated) as caught:
            user_authenticate(db, email=email, password=password)
        messages.add(caught.value.message)
    user_set_active(db, actor=SYSTEM_ACTOR, user_id=user.id, active=False)
    with pytest.raises(NotAuthenticated) as caught:
        user_authenticate(db, email=user.email, password=PASSWORD)
    messages.add(caught.value.message)
    assert messages == {"Invalid email or password."}


def test_sign_in_ignores_email_case(db):
    user = make_user(db, Role.VIEWER, email="Mixed.Case@Example.com")
    assert user.email == "mixed.case@example.com"
    assert user_authenticate(db, email="MIXED.case@example.com", password=PASSWORD).id == user.id


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"password": "short"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"role": "superuser"}, "role"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_user_input_is_refused_and_nothing_is_written(db, changes, field):
    before = db.exec(select(User)).all()
    data = {"email": "ok@example.com", "name": "Ok", "role": "viewer", "password": PASSWORD} | changes
    with pytest.raises(ValidationFailed) as caught:
        user_create(db, actor=SYSTEM_ACTOR, **data)
    assert caught.value.field == field
    assert len(db.exec(select(User)).all()) == len(before)


def test_duplicate_email_and_client_role_without_client_are_refused(db):
    user = make_user(db, Role.VIEWER)
    with pytest.raises(Conflict):
        user_create(db, actor=SYSTEM_ACTOR, email=user.email.upper(), name="Twin", role="viewer",
                    password=PASSWORD)
    with pytest.raises(ValidationFailed) as caught:
        user_create(db, actor=SYSTEM_ACTOR, email="c@example.com", name="C", role="client",
                    password=PASSWORD)
    assert caught.value.field == "client_id"


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.VIEWER, Role.CLIENT])
def test_only_admins_manage_users(db, role):
    actor = make_user(db, role)
    target = make_user(db, Role.VIEWER)
    attempts = [
        lambda: user_create(db, actor=actor, email="x@example.com", name="X", role="admin",
                            password=PASSWORD),
        lambda: user_change_role(db, actor=actor, user_id=target.id, role="admin"),
        lambda: user_set_active(db, actor=actor, user_id=target.id, active=False),
        lambda: user_reset_password(db, actor=actor, user_id=target.id, password="p" * 20),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    db.refresh(target)
    assert (target.role, target.is_active) == (Role.VIEWER, True)


def test_admin_actions_are_audited_and_end_the_users_sessions(db):
    admin = make_user(db, Role.ADMIN)
    target = make_user(db, Role.VIEWER)
    token = session_open(db, target)
    user_change_role(db, actor=admin, user_id=target.id, role="accountant")
    assert session_user(db, token) is None
    token = session_open(db, target)
    user_reset_password(db, actor=admin, user_id=target.id, password="another long password")
    assert session_user(db, token) is None
    actions = db.exec(
        select(AuditLog.action).where(AuditLog.entity_type == "user",
                                      AuditLog.entity_id == str(target.id),
                                      AuditLog.actor_user_id == admin.id)
    ).all()
    assert set(actions) == {"user.change_role", "user.reset_password"}


def test_last_active_admin_is_protected(db):
    for other in db.exec(select(User).where(User.role == Role.ADMIN)).all():
        other.is_active = False
        db.add(other)
    admin = make_user(db, Role.ADMIN)
    helper = make_user(db, Role.ADMIN)
    user_set_active(db, actor=admin, user_id=helper.id, active=False)
    with pytest.raises(Conflict):
        user_change_role(db, actor=admin, user_id=admin.id, role="viewer")
    with pytest.raises(Conflict):
        user_set_active(db, actor=SYSTEM_ACTOR, user_id=admin.id, active=False)


def test_session_token_is_stored_hashed_and_revocable(db):
    user = make_user(db, Role.ACCOUNTANT)
    token = session_open(db, user, user_agent="pytest")
    stored = db.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert session_user(db, token).id == user.id
    assert session_user(db, token + "x") is None
    session_revoke(db, token)
    assert session_user(db, token) is None


def test_idle_session_expires_and_use_slides_the_expiry(db):
    user = make_user(db, Role.ACCOUNTANT)
    token = session_open(db, user)
    stored = db.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    stored.last_seen_at -= timedelta(hours=2)
    old_expiry = stored.expires_at
    db.add(stored)
    db.flush()
    assert session_user(db, token) is not None
    db.refresh(stored)
    assert stored.expires_at > old_expiry
    stored.expires_at = stored.last_seen_at = stored.last_seen_at - timedelta(hours=13)
    db.add(stored)
    db.flush()
    assert session_user(db, token) is None


def test_permission_table_matches_the_roles():
    assert can(Role.ADMIN, Action.USERS_MANAGE)
    assert not can(Role.ACCOUNTANT, Action.USERS_MANAGE)
    assert can(Role.ACCOUNTANT, Action.INVOICES_WRITE)
    assert not any(a.endswith(".write") for a in PERMISSIONS[Role.VIEWER])
    assert PERMISSIONS[Role.CLIENT] == {Action.OWN_INVOICES_READ, Action.OWN_ACCOUNT}
    assert not can("intruder", Action.DASHBOARD_VIEW)


def test_client_user_is_linked_to_its_client(db):
    client = make_client(db, "Acme GmbH")
    user = make_user(db, Role.CLIENT, client_id=client.id)
    assert user.client_id == client.id
