"""Account: reachable from the user's name in the header, for every role."""

import reflex as rx

from billing_app.auth.passwords import MIN_PASSWORD_LENGTH
from billing_app.ui import routes
from billing_app.ui.components.forms import field, form_error, text_input
from billing_app.ui.components.native_form import FORGET_CLIENT_TOKEN, native_form
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.account import AccountState as S


def _password_input(id_: str, label: str, autocomplete: str, hint: str = "") -> rx.Component:
    error = rx.cond(S.password_field == id_, S.password_error, "")
    return field(label, text_input(id_, id_, type="password", required=True,
                                   auto_complete=autocomplete),
                 html_for=id_, error=error, hint=hint)


def _change_password() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Change password", size="4", as_="h2"),
                form_error(rx.cond(S.password_field == "", S.password_error, "")),
                _password_input("current_password", "Current password", "current-password"),
                _password_input("new_password", "New password", "new-password",
                                hint=f"At least {MIN_PASSWORD_LENGTH} characters."),
                _password_input("repeat_password", "Repeat the new password", "new-password"),
                rx.button("Change password", type="submit"),
                spacing="3",
                align="start",
                max_width="420px",
            ),
            on_submit=S.change_password,
            reset_on_submit=False,
        ),
    )


def _sign_out_everywhere() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Sessions", size="4", as_="h2"),
            rx.text("Signs you out in every browser and ends every API login, this one included."),
            native_form(
                rx.button("Sign out everywhere", type="submit", color_scheme="red",
                          variant="soft", on_click=FORGET_CLIENT_TOKEN),
                action="/auth/logout-everywhere",
                method="post",
            ),
            spacing="3",
            align="start",
        ),
    )


@private_page(routes.ACCOUNT)
def account_page() -> rx.Component:
    return rx.vstack(_change_password(), _sign_out_everywhere(), spacing="4", align="stretch",
                     max_width="640px")
