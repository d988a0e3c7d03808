"""API sign-in: a token pair per login, rotation on refresh, revocation of the login."""

from fastapi import APIRouter, status

from billing_app.api.deps import CurrentLogin, DbSession
from billing_app.api.schemas import RefreshRequest, TokenRequest, TokenResponse
from billing_app.auth.tokens import TokenPair, token_refresh, token_revoke, tokens_issue
from billing_app.db import session_scope
from billing_app.errors import NotAuthenticated
from billing_app.services.users import user_authenticate

router = APIRouter(prefix="/auth", tags=["auth"])


def _response(pair: TokenPair) -> TokenResponse:
    return TokenResponse(access_token=pair.access_token, refresh_token=pair.refresh_token,
                         expires_in=pair.expires_in)


@router.post("/token")
def token_obtain(body: TokenRequest, session: DbSession) -> TokenResponse:
    """Exchange email and password for an access and a refresh token."""
    user = user_authenticate(session, email=body.email, password=body.password)
    return _response(tokens_issue(session, user))


@router.post("/refresh")
def token_renew(body: RefreshRequest) -> TokenResponse:
    """A new pair; the refresh token sent is used up (sending it again ends the login)."""
    with session_scope() as session:  # committed even on refusal: a replay revokes the login
        pair = token_refresh(session, body.refresh_token)
    if pair is None:
        raise NotAuthenticated("The refresh token is invalid, expired, revoked or already used.")
    return _response(pair)


@router.post("/revoke", status_code=status.HTTP_204_NO_CONTENT)
def token_logout(login: CurrentLogin, session: DbSession) -> None:
    """End this login: its access and refresh tokens stop working at once."""
    token_revoke(session, login.sid)
