"""The signed-in user, and user administration for admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from billing_app.api.deps import CurrentUser, DbSession, requires
from billing_app.api.schemas import (
    DbId,
    PasswordReset,
    UserCreateRequest,
    UserListItem,
    UserPage,
    UserRoleChange,
)
from billing_app.auth.permissions import Action
from billing_app.models.users import User, UserPublic
from billing_app.queries.users import users_page
from billing_app.services.users import (
    user_change_role,
    user_create,
    user_reset_password,
    user_set_active,
)

router = APIRouter(prefix="/users", tags=["users"])

Admin = Annotated[User, Depends(requires(Action.USERS_MANAGE))]
UserId = Annotated[DbId, Path()]


def _public(user: User) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/me")
def me(user: CurrentUser) -> UserPublic:
    return _public(user)


@router.get("")
def users_list(
    session: DbSession,
    actor: Admin,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    search: Annotated[str, Query(max_length=200)] = "",
) -> UserPage:
    rows, total = users_page(session, actor=actor, search=search, offset=offset, limit=limit)
    items = [UserListItem(**_public(user).model_dump(), client_name=client_name)
             for user, client_name in rows]
    return UserPage(items=items, total=total, offset=offset, limit=limit)


@router.post("", status_code=status.HTTP_201_CREATED)
def users_create(body: UserCreateRequest, session: DbSession, actor: Admin) -> UserPublic:
    return _public(user_create(session, actor=actor, **body.model_dump()))


@router.patch("/{user_id}")
def users_change_role(
    user_id: UserId, body: UserRoleChange, session: DbSession, actor: Admin
) -> UserPublic:
    """Change the role (and, for client users, the client they belong to)."""
    return _public(user_change_role(session, actor=actor, user_id=user_id, role=body.role,
                                    client_id=body.client_id))


@router.post("/{user_id}/deactivate")
def users_deactivate(user_id: UserId, session: DbSession, actor: Admin) -> UserPublic:
    """Block sign-in and end the user's browser sessions and API logins."""
    return _public(user_set_active(session, actor=actor, user_id=user_id, active=False))


@router.post("/{user_id}/activate")
def users_activate(user_id: UserId, session: DbSession, actor: Admin) -> UserPublic:
    return _public(user_set_active(session, actor=actor, user_id=user_id, active=True))


@router.post("/{user_id}/reset-password")
def users_reset_password(
    user_id: UserId, body: PasswordReset, session: DbSession, actor: Admin
) -> UserPublic:
    """Set a new password and end the user's sessions and API logins."""
    return _public(user_reset_password(session, actor=actor, user_id=user_id,
                                       password=body.password))
