"""The signed-in user's own account: change the password (other sessions end)."""

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.services.users import user_change_password
from billing_app.ui.states.auth import AuthState


class AccountState(AuthState):
    password_error: str = ""
    password_field: str = ""

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
