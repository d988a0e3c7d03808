"""Request dependencies: one database transaction per request, the bearer's user, permissions."""

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from billing_app.api.peer import client_address
from billing_app.auth.permissions import Action, require
from billing_app.auth.tokens import TokenLogin, token_resolve
from billing_app.db import session_scope
from billing_app.errors import NotAuthenticated
from billing_app.models.users import User
from billing_app.services.two_factor import two_factor_setup_require


def db_session() -> Iterator[Session]:
    """Commit when the route returns normally, roll back when it raises."""
    with session_scope() as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit
# becomes an error response and a client never reads data that was not saved.
DbSession = Annotated[Session, Depends(db_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="An access token from POST /api/v1/auth/token.")


def current_login(
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> TokenLogin:
    if credentials is None:
        raise NotAuthenticated("Send an access token in the header: Authorization: Bearer <token>.")
    login = token_resolve(session, credentials.credentials)
    if login is None:
        raise NotAuthenticated("The access token is invalid, expired or revoked.")
    return login


CurrentLogin = Annotated[TokenLogin, Depends(current_login)]


def current_user(login: CurrentLogin, session: DbSession) -> User:
    """The bearer's user. An admin whose two-factor set-up the company requires gets nothing
    but signing out (/auth/revoke) until it is done, whatever token was issued before."""
    return two_factor_setup_require(session, login.user)


CurrentUser = Annotated[User, Depends(current_user)]


def requires(action: Action) -> Callable[[User], User]:
    """A dependency giving the current user if the permission table allows `action` (else 403)."""

    def allowed_user(user: CurrentUser) -> User:
        return require(user, action)

    return allowed_user


def client_ip(request: Request) -> str | None:
    """The client's address, through the trusted proxies (api/peer.py)."""
    return client_address(request.client.host if request.client else None,
                          request.headers.get("x-forwarded-for"))
