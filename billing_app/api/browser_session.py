"""Sign-in and sign-out of the browser UI: a form post, an HttpOnly cookie, a 303 redirect.

Not part of the JSON API: these answer with redirects for the Reflex pages.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from billing_app.api.deps import DbSession, client_ip
from billing_app.auth.redirects import safe_local_path
from billing_app.auth.sessions import session_user
from billing_app.auth.throttle import password_reset_wait
from billing_app.auth.tokens import CODE_TICKET_LIFE, code_ticket_issue
from billing_app.db import session_scope
from billing_app.errors import (
    NotAuthenticated,
    PermissionDenied,
    ServiceBusy,
    TooManyRequests,
    ValidationFailed,
)
from billing_app.services.password_reset import password_reset_complete, password_reset_request
from billing_app.services.sign_in import (
    CodeRequired,
    browser_sign_in,
    browser_sign_in_code,
    browser_sign_out,
)
from billing_app.services.users import user_sign_out_everywhere
from billing_app.settings import get_settings

router = APIRouter(prefix="/auth", include_in_schema=False)

log = logging.getLogger(__name__)

LOGIN_PAGE = "/login"
CODE_PAGE = "/login/code"
FORGOT_PAGE = "/forgot-password"
RESET_PAGE = "/reset-password"


def _reject_cross_site(request: Request) -> None:
    """Refuse forms posted from another site (login CSRF); SameSite covers the cookie itself."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own_hosts = {urlsplit(get_settings().app_url).hostname, request.url.hostname}
    if urlsplit(origin).hostname not in own_hosts:
        raise PermissionDenied("Please sign in through this site's own sign-in page.")


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _cookie_options() -> dict:
    return {"path": "/", "httponly": True, "samesite": "strict",
            "secure": get_settings().cookie_secure}


def _signed_out() -> RedirectResponse:
    return _signed_out_to(f"{LOGIN_PAGE}?signed_out=1")


def _signed_out_to(url: str) -> RedirectResponse:
    response = _redirect(url)
    response.delete_cookie(get_settings().session_cookie_name, **_cookie_options())
    return response


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next_: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> RedirectResponse:
    _reject_cross_site(request)
    cookie_name = get_settings().session_cookie_name
    try:
        token = browser_sign_in(session, email=email, password=password,
                                previous_token=request.cookies.get(cookie_name),
                                user_agent=request.headers.get("user-agent"),
                                ip_address=client_ip(request))
    except CodeRequired as needed:  # the password was right; no session before the code
        response = _redirect(_with_next(CODE_PAGE, next_))
        response.set_cookie(_ticket_cookie(), code_ticket_issue(needed.user),
                            max_age=int(CODE_TICKET_LIFE.total_seconds()), **_cookie_options())
        return response
    except TooManyRequests as refused:
        token, error = None, "busy" if isinstance(refused, ServiceBusy) else "throttled"
    else:
        error = "invalid"
    if token is None:
        return _redirect(_with_next(f"{LOGIN_PAGE}?error={error}", next_))
    return _signed_in(token, next_)


@router.post("/login/code")
def login_code(
    request: Request,
    session: DbSession,
    code: Annotated[str, Form(max_length=40)] = "",
    next_: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> RedirectResponse:
    """The second step for an account with two-factor on: the code from the app."""
    _reject_cross_site(request)
    try:
        token = browser_sign_in_code(
            session, ticket=request.cookies.get(_ticket_cookie()), code=code,
            previous_token=request.cookies.get(get_settings().session_cookie_name),
            user_agent=request.headers.get("user-agent"), ip_address=client_ip(request))
    except TooManyRequests as refused:
        return _redirect(_with_next(
            f"{CODE_PAGE}?error={'busy' if isinstance(refused, ServiceBusy) else 'throttled'}",
            next_))
    except NotAuthenticated:  # no ticket, or it expired: the password again
        return _redirect(_with_next(f"{LOGIN_PAGE}?error=expired", next_))
    if token is None:
        return _redirect(_with_next(f"{CODE_PAGE}?error=code", next_))
    response = _signed_in(token, next_)
    response.delete_cookie(_ticket_cookie(), **_cookie_options())
    return response


def _ticket_cookie() -> str:
    return f"{get_settings().session_cookie_name}_code"


def _with_next(url: str, next_: str) -> str:
    if not next_:
        return url
    return f"{url}{'&' if '?' in url else '?'}next={quote(next_, safe='')}"


def _signed_in(token: str, next_: str) -> RedirectResponse:
    response = _redirect(safe_local_path(next_))
    # No Max-Age: a browser-session cookie; the server ends idle sessions itself.
    response.set_cookie(get_settings().session_cookie_name, token, **_cookie_options())
    return response


# The reset email is written after the answer is sent, so known and unknown addresses are
# answered alike and equally fast; two threads are plenty (each address is throttled first).
_reset_mailer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="password-reset")


def _request_reset(email: str, ip_address: str | None) -> None:
    try:
        with session_scope() as session:
            password_reset_request(session, email=email, ip_address=ip_address)
    except Exception:  # noqa: BLE001 - nobody is waiting for this answer: log it
        log.exception("password reset request failed")


@router.post("/forgot-password")
def forgot_password(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
) -> RedirectResponse:
    """Email a reset link if the address has an account; the same answer either way."""
    _reject_cross_site(request)
    if password_reset_wait(client_ip(request)):
        return _redirect(f"{FORGOT_PAGE}?error=too_many")
    _reset_mailer.submit(_request_reset, email, client_ip(request))
    return _redirect(f"{FORGOT_PAGE}?sent=1")


@router.post("/reset-password")
def reset_password(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    new_password: Annotated[str, Form(max_length=256)] = "",
    repeat_password: Annotated[str, Form(max_length=256)] = "",
) -> RedirectResponse:
    """Set a new password with the link's token; every session of the user ends."""
    _reject_cross_site(request)
    back = f"{RESET_PAGE}?token={quote(token, safe='')}"
    if new_password != repeat_password:
        return _redirect(f"{back}&error=differ")
    try:
        with session_scope() as session:
            password_reset_complete(session, token=token, new_password=new_password,
                                    ip_address=client_ip(request))
    except ValidationFailed as refused:
        return _redirect(f"{back}&error={'token' if refused.field == 'token' else 'short'}")
    return _signed_out_to(f"{LOGIN_PAGE}?reset=1")


@router.post("/logout")
def logout(request: Request, session: DbSession) -> RedirectResponse:
    _reject_cross_site(request)
    cookie_name = get_settings().session_cookie_name
    browser_sign_out(session, token=request.cookies.get(cookie_name), ip_address=client_ip(request))
    return _signed_out()


@router.post("/logout-everywhere")
def logout_everywhere(request: Request, session: DbSession) -> RedirectResponse:
    """End every browser session and API login of the signed-in user (a lost laptop)."""
    _reject_cross_site(request)
    cookie_name = get_settings().session_cookie_name
    user = session_user(session, request.cookies.get(cookie_name))
    if user is not None:
        user_sign_out_everywhere(session, actor=user)
    return _signed_out()
