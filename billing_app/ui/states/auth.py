"""The signed-in user, resolved on the server from the HttpOnly session cookie.

The cookie travels on the websocket handshake; a browser cannot put it inside an event, so
every handler re-reads it here and asks the permission table before it touches data.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import date
from http.cookies import CookieError, SimpleCookie
from typing import TypeVar
from urllib.parse import quote

import reflex as rx
from reflex.middleware import Middleware
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from billing_app.auth.permissions import Action, can, require
from billing_app.auth.sessions import session_user
from billing_app.db import read_scope, session_scope
from billing_app.errors import BillingError
from billing_app.models.users import Role, User
from billing_app.queries.company import company_today
from billing_app.services.two_factor import two_factor_setup_due, two_factor_setup_require
from billing_app.settings import get_settings
from billing_app.ui import routes
from billing_app.ui.states.in_thread import in_thread

T = TypeVar("T")
logger = logging.getLogger(__name__)


def landing_route(role: str) -> str:
    return routes.MY_INVOICES.route if role == Role.CLIENT else routes.HOME.route


class AuthState(rx.State):
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    allowed_routes: list[str] = []
    current_route: str = ""
    _signed_in_as: str = ""
    _user_id: str = ""  # for the logs (ui/event_log.py); the handlers check the session anew
    """Digest of the session cookie the state tree was filled under (see ResetOnSignInChange)."""

    def _session_token(self) -> str | None:
        cookie = SimpleCookie()
        try:
            cookie.load(self.router.headers.cookie or "")
        except CookieError:
            return None
        morsel = cookie.get(get_settings().session_cookie_name)
        return morsel.value if morsel else None

    def _session_digest(self) -> str:
        token = self._session_token()
        return hashlib.sha256(token.encode()).hexdigest() if token else ""

    def _actor(self, db: Session) -> User | None:
        return session_user(db, self._session_token())

    def _run(self, action: Action, work: Callable[[Session, User], T], *,
             read_only: bool = False) -> tuple[T | None, BillingError | None]:
        """Do `work` in one transaction as the signed-in user, if the role allows `action` (and,
        but for the Account page's own actions, no two-factor set-up is due). read_only: work
        that only reads, on the read engine (db.read_scope: no transaction of its own)."""

        def as_actor(db: Session) -> T:
            actor = require(self._actor(db), action)
            if action != Action.OWN_ACCOUNT:
                two_factor_setup_require(db, actor)
            return work(db, actor)

        try:
            if read_only:
                return read_scope(as_actor), None
            with session_scope() as db:
                return as_actor(db), None
        except BillingError as error:
            return None, error
        except (SQLAlchemyError, ValueError, OverflowError):
            # Input the rules did not foresee (a NUL byte, a date past 9999): nothing was saved,
            # the details go to the log and the person gets a plain sentence, not a traceback.
            logger.exception("unexpected error in %s", type(self).__name__)
            return None, BillingError("That could not be done with this input; nothing was changed.")

    def _refusal(self, action: Action) -> BillingError | None:
        """Why the signed-in user may not do `action`, else None. Asked first by a write handler
        that would otherwise answer from its input alone (no file, a closed dialog, no record
        loaded), so that a crafted call is refused in words like any other."""
        _, error = self._run(action, lambda db, actor: None)
        return error

    def _today(self) -> date:
        """The company's date (its time zone), for a form that starts at today."""
        with session_scope() as db:
            return company_today(db)

    def _remember(self, user: User) -> None:
        self._user_id = str(user.id)
        self.user_name = user.name
        self.user_email = user.email
        self.user_role = Role(user.role).value
        self.allowed_routes = [
            spec.route for spec in routes.GUARDED_PAGES if spec.in_nav and can(user.role, spec.action)
        ]

    def _forget(self) -> None:
        self._user_id = self.user_name = self.user_email = self.user_role = ""
        self.allowed_routes = []

    @rx.event
    @in_thread
    def guard_page(self):
        """on_load of every private page: signed in, and the role may open this page."""
        path = self.router.url.path or "/"
        with session_scope() as db:
            user = self._actor(db)
            setup_due = user is not None and two_factor_setup_due(db, user)
        if user is None:
            self._forget()
            return rx.redirect(f"{routes.LOGIN}?next={quote(path)}")
        self._remember(user)
        spec = routes.page_for(path)
        if setup_due and spec is not routes.ACCOUNT:  # the company requires 2FA for admins
            return rx.redirect(f"{routes.ACCOUNT.route}?two_factor=required")
        if spec is None or not can(user.role, spec.action):
            if spec is routes.HOME:
                return rx.redirect(landing_route(user.role))
            return rx.redirect(routes.NOT_ALLOWED)
        self.current_route = routes.nav_section(spec).route
        return PAGE_LOADS.get(spec.route) or None

    @rx.event
    def load_identity(self):
        """For public pages that still show who is signed in (for example 'not allowed')."""
        with session_scope() as db:
            user = self._actor(db)
        if user is None:
            self._forget()
        else:
            self._remember(user)


PAGE_LOADS: dict[str, list] = {}
"""Each private page's own on_load handlers, by route; the guard runs them once it let the
user in (ui/layout/page.py fills this as pages register)."""


def path_id(path: str, prefix: str) -> int | None:
    """The positive integer right after `prefix` in a URL path ("/invoices/12/edit" -> 12)."""
    match = re.match(rf"^{re.escape(prefix)}/(\d{{1,9}})(/|$)", path or "")
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


class ResetOnSignInChange(Middleware):
    """Before any event (the hydration that sends the whole state first of all): if the session
    cookie is not the one the state tree was filled under, reset every substate.

    Sign-in and sign-out change the cookie, so what a page loaded for one user (other users'
    emails, invoice numbers, backend vars) never reaches the next user of the tab, nor the
    login page, even when the tab keeps its Reflex client token.
    """

    async def preprocess(self, app, state, event):
        auth = await state.get_state(AuthState)
        digest = auth._session_digest()
        if auth._signed_in_as != digest:
            state._get_root_state().reset()
            auth._signed_in_as = digest
        return None
