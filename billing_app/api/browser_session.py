"""Sign-in and sign-out of the browser UI: a form post, an HttpOnly cookie, a 303 redirect.

Not part of the JSON API: these answer with redirects for the Reflex pages.
"""

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from billing_app.api.deps import DbSession, client_ip
from billing_app.auth.redirects import safe_local_path
from billing_app.auth.sessions import session_user
from billing_app.errors import PermissionDenied, ServiceBusy, TooManyRequests
from billing_app.services.sign_in import browser_sign_in, browser_sign_out
from billing_app.services.users import user_sign_out_everywhere
from billing_app.settings import get_settings

router = APIRouter(prefix="/auth", include_in_schema=False)

LOGIN_PAGE = "/login"


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
    response = _redirect(f"{LOGIN_PAGE}?signed_out=1")
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
    except TooManyRequests as refused:
        token, error = None, "busy" if isinstance(refused, ServiceBusy) else "throttled"
    else:
        error = "invalid"
    if token is None:
        failed = f"{LOGIN_PAGE}?error={error}"
        return _redirect(f"{failed}&next={quote(next_, safe='')}" if next_ else failed)
    response = _redirect(safe_local_path(next_))
    # No Max-Age: a browser-session cookie; the server ends idle sessions itself.
    response.set_cookie(cookie_name, token, **_cookie_options())
    return response


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
