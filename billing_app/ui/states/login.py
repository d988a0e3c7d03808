import reflex as rx

from billing_app.auth.passwords import MIN_PASSWORD_LENGTH
from billing_app.auth.redirects import safe_local_path
from billing_app.db import session_scope
from billing_app.errors import BillingError
from billing_app.queries.company import company_public
from billing_app.services.password_reset import LINK_NOT_VALID
from billing_app.services.sign_in import TICKET_EXPIRED
from billing_app.settings import get_settings
from billing_app.ui.states.auth import AuthState, landing_route

MESSAGES = {
    "invalid": "Invalid email or password.",
    "throttled": "Too many failed sign-ins. Please wait a few minutes and try again.",
    "busy": "Too many sign-ins at once. Please try again in a few seconds.",
    "expired": TICKET_EXPIRED,
    "code": "That code is not right or was used already.",
    "too_many": "Too many reset requests from here. Please try again later.",
    "differ": "The two new passwords differ.",
    "short": f"The new password must have at least {MIN_PASSWORD_LENGTH} characters.",
    "token": LINK_NOT_VALID,
}


def _notices() -> dict[str, str]:
    return {
        "signed_out": "You have been signed out.",
        "reset": "Your password has been changed and every session signed out. "
                 "Sign in with the new password.",
        "sent": "If an account exists for that address, a link to choose a new password is on "
                f"its way. It works for {get_settings().password_reset_minutes} minutes, once.",
    }


class LoginState(AuthState):
    error: str = ""
    notice: str = ""
    next_path: str = ""
    company_name: str = ""
    company_logo: str = ""
    reset_token: str = ""
    """The token of the reset link this tab opened (the browser's own, from its address bar)."""

    def _read_outcome(self) -> dict[str, str]:
        params = self.router.url.query_parameters
        self.error = MESSAGES.get(params.get("error", ""), "")
        self.notice = next((text for key, text in _notices().items() if params.get(key)), "")
        self.next_path = safe_local_path(params.get("next"), default="")
        return params

    @rx.event
    def prepare_reset(self):
        """The forgot/reset password pages: the outcome, and the link's token for the form."""
        self.reset_token = str(self._read_outcome().get("token", ""))[:200]
        with session_scope() as db:
            self._show_company(db)

    @rx.event
    def prepare(self):
        """Show the outcome of the last attempt; send signed-in users on to their page."""
        self._read_outcome()
        with session_scope() as db:
            user = self._actor(db)
            self._show_company(db)
        if user is not None and not self.error:
            self._remember(user)
            return rx.redirect(self.next_path or landing_route(user.role))
        return None

    def _show_company(self, db) -> None:
        """The public company view (name and logo) greets people before they sign in."""
        try:
            company = company_public(db)
        except BillingError:
            return
        self.company_name, self.company_logo = company.name, company.logo_url or ""
