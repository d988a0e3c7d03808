import reflex as rx

from billing_app.auth.redirects import safe_local_path
from billing_app.db import session_scope
from billing_app.errors import BillingError
from billing_app.queries.company import company_public
from billing_app.ui.states.auth import AuthState, landing_route

MESSAGES = {
    "invalid": "Invalid email or password.",
    "throttled": "Too many failed sign-ins. Please wait a few minutes and try again.",
    "busy": "Too many sign-ins at once. Please try again in a few seconds.",
}


class LoginState(AuthState):
    error: str = ""
    notice: str = ""
    next_path: str = ""
    company_name: str = ""
    company_logo: str = ""

    @rx.event
    def prepare(self):
        """Show the outcome of the last attempt; send signed-in users on to their page."""
        params = self.router.url.query_parameters
        self.error = MESSAGES.get(params.get("error", ""), "")
        self.notice = "You have been signed out." if params.get("signed_out") else ""
        self.next_path = safe_local_path(params.get("next"), default="")
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
