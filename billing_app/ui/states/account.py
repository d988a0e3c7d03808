"""The signed-in user's own account: change the password (other sessions end), two-factor."""

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.services.two_factor import (
    two_factor_begin,
    two_factor_confirm,
    two_factor_disable,
    two_factor_on,
    two_factor_setup_due,
)
from billing_app.services.users import user_change_password
from billing_app.ui.states.auth import AuthState


class AccountState(AuthState):
    password_error: str = ""
    password_field: str = ""
    two_factor_enabled: bool = False
    two_factor_due: bool = False
    """The company requires two-factor of admins and this admin has yet to set it up."""
    setup_qr: str = ""
    setup_secret: str = ""
    """Shown while setting up only; cleared once a first code confirmed it."""
    recovery_codes: list[str] = []
    """Shown once, right after two-factor was switched on."""
    two_factor_error: str = ""
    two_factor_field: str = ""

    @rx.event
    def load_two_factor(self):
        def read(db, actor):
            return two_factor_on(actor), two_factor_setup_due(db, actor)

        state, _ = self._run(Action.OWN_ACCOUNT, read)
        self.two_factor_enabled, self.two_factor_due = state or (False, False)
        self.setup_qr = self.setup_secret = self.two_factor_error = self.two_factor_field = ""
        self.recovery_codes = []

    @rx.event
    def start_two_factor(self):
        setup, error = self._run(Action.OWN_ACCOUNT,
                                 lambda db, actor: two_factor_begin(db, actor=actor))
        if error:
            self.two_factor_error, self.two_factor_field = error.message, ""
            return
        self.setup_qr, self.setup_secret = setup.qr_data_uri, setup.secret
        self.two_factor_error = self.two_factor_field = ""

    @rx.event
    def confirm_two_factor(self, form: dict):
        code = str(form.get("setup_code", ""))
        codes, error = self._run(Action.OWN_ACCOUNT, lambda db, actor: two_factor_confirm(
            db, actor=actor, code=code))
        if error:
            self.two_factor_error = error.message
            self.two_factor_field = "setup_code" if error.field == "code" else ""
            return None
        self.setup_qr = self.setup_secret = self.two_factor_error = self.two_factor_field = ""
        self.two_factor_enabled, self.two_factor_due, self.recovery_codes = True, False, codes
        return rx.toast.success("Two-factor sign-in is on.")

    @rx.event
    def disable_two_factor(self, form: dict):
        password, code = str(form.get("off_password", "")), str(form.get("off_code", ""))
        _, error = self._run(Action.OWN_ACCOUNT, lambda db, actor: two_factor_disable(
            db, actor=actor, password=password, code=code))
        if error:
            self.two_factor_error = error.message
            self.two_factor_field = {"password": "off_password", "code": "off_code"}.get(
                error.field or "", "")
            return None
        self.two_factor_enabled, self.recovery_codes = False, []
        self.two_factor_error = self.two_factor_field = ""
        return [rx.set_value(name, "") for name in ("off_password", "off_code")] + [
            rx.toast.success("Two-factor sign-in is off.")]

    @rx.event
    def change_password(self, form: dict):
        current = str(form.get("current_password", ""))
        new = str(form.get("new_password", ""))
        if new != str(form.get("repeat_password", "")):
            self.password_error = "The two new passwords differ."
            self.password_field = "repeat_password"
            return None
        keep = self._session_token()
        _, error = self._run(Action.OWN_ACCOUNT, lambda db, actor: user_change_password(
            db, actor=actor, current_password=current, new_password=new, keep_session_token=keep))
        if error:
            self.password_error, self.password_field = error.message, error.field or ""
            return None
        self.password_error, self.password_field = "", ""
        return [rx.set_value(name, "") for name in ("current_password", "new_password",
                                                     "repeat_password")] + [
            rx.toast.success("Password changed. Your other sessions have been signed out.")]
