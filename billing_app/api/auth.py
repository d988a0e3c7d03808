"""API sign-in: a token pair per login, rotation on refresh, revocation of the login."""

from fastapi import APIRouter, Request, status

from billing_app.api.deps import CurrentLogin, DbSession, client_ip
from billing_app.api.schemas import ErrorBody, RefreshRequest, TokenRequest, TokenResponse
from billing_app.auth.tokens import TokenPair
from billing_app.db import session_scope
from billing_app.errors import NotAuthenticated
from billing_app.services.sign_in import api_refresh, api_sign_in, api_sign_out
from billing_app.services.users import INVALID_LOGIN

router = APIRouter(prefix="/auth", tags=["auth"])

INVALID_LOGIN_OR_CODE = "Invalid email, password or two-factor code."


def _response(pair: TokenPair) -> TokenResponse:
    return TokenResponse(access_token=pair.access_token, refresh_token=pair.refresh_token,
                         expires_in=pair.expires_in)


@router.post("/token", responses={503: {"model": ErrorBody}})
def token_obtain(body: TokenRequest, request: Request) -> TokenResponse:
    """Exchange email and password (and, with two-factor on, `totp_code`) for an access and a
    refresh token.

    Without a code for an account with two-factor on: 401 saying a code is needed.
    Repeated failures for an account or from an address answer 429 with Retry-After.
    """
    with session_scope() as session:  # committed even on refusal: failures are audited
        pair = api_sign_in(session, email=body.email, password=body.password,
                           ip_address=client_ip(request), totp_code=body.totp_code)
    if pair is None:
        raise NotAuthenticated(INVALID_LOGIN_OR_CODE if body.totp_code else INVALID_LOGIN)
    return _response(pair)


@router.post("/refresh")
def token_renew(body: RefreshRequest, request: Request) -> TokenResponse:
    """A new pair; the refresh token sent is used up (sending it again ends the login)."""
    with session_scope() as session:  # committed even on refusal: a replay revokes the login
        pair = api_refresh(session, refresh_token=body.refresh_token,
                           ip_address=client_ip(request))
    if pair is None:
        raise NotAuthenticated("The refresh token is invalid, expired, revoked or already used.")
    return _response(pair)


@router.post("/revoke", status_code=status.HTTP_204_NO_CONTENT)
def token_logout(login: CurrentLogin, session: DbSession, request: Request) -> None:
    """End this login: its access and refresh tokens stop working at once."""
    api_sign_out(session, login=login, ip_address=client_ip(request))
