"""Account: reachable from the user's name in the header, for every role: password,
two-factor sign-in, sessions."""

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


def _two_factor_input(id_: str, label: str, autocomplete: str, **props) -> rx.Component:
    error = rx.cond(S.two_factor_field == id_, S.two_factor_error, "")
    return field(label, text_input(id_, id_, required=True, auto_complete=autocomplete, **props),
                 html_for=id_, error=error)


def _two_factor_setup() -> rx.Component:
    return rx.cond(
        S.setup_qr != "",
        rx.form(
            rx.vstack(
                rx.text("Scan this QR code with your authenticator app, then type the code it shows."),
                rx.image(src=S.setup_qr, alt="QR code for your authenticator app", width="200px"),
                rx.text("Cannot scan? Type this key into the app: ",
                        rx.code(S.setup_secret, id="two-factor-key")),
                _two_factor_input("setup_code", "Code from the app", "one-time-code",
                                  input_mode="numeric"),
                rx.button("Turn on two-factor", type="submit"),
                spacing="3", align="start",
            ),
            on_submit=S.confirm_two_factor,
            reset_on_submit=False,
        ),
        rx.button("Set up two-factor", on_click=S.start_two_factor),
    )


def _two_factor_off() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.recovery_codes.length() > 0,
            rx.callout(
                rx.vstack(
                    rx.text("Save these recovery codes now. Each one signs you in once if you "
                            "lose your phone; they are not shown again."),
                    rx.el.ul(rx.foreach(S.recovery_codes, lambda code: rx.el.li(rx.code(code))),
                             aria_label="Recovery codes"),
                ),
                icon="key-round", width="100%",
            ),
        ),
        rx.form(
            rx.vstack(
                rx.text("To turn it off, confirm with your password and a current code."),
                _two_factor_input("off_password", "Password", "current-password", type="password"),
                _two_factor_input("off_code", "Code from the app or a recovery code",
                                  "one-time-code"),
                rx.button("Turn off two-factor", type="submit", color_scheme="red", variant="soft"),
                spacing="3", align="start",
            ),
            on_submit=S.disable_two_factor,
            reset_on_submit=False,
        ),
        spacing="3", align="stretch",
    )


def _two_factor() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Two-factor sign-in", size="4", as_="h2"),
            rx.cond(S.two_factor_due,
                    rx.callout("Your company requires two-factor sign-in for admins. Set it up "
                               "to continue.", icon="shield-alert", color_scheme="orange",
                               width="100%")),
            form_error(rx.cond(S.two_factor_field == "", S.two_factor_error, "")),
            rx.text(rx.cond(S.two_factor_enabled,
                            "On: signing in asks for a code from your authenticator app.",
                            "Off: signing in asks for your password only.")),
            rx.cond(S.two_factor_enabled, _two_factor_off(), _two_factor_setup()),
            spacing="3",
            align="stretch",
            max_width="480px",
        ),
    )


@private_page(routes.ACCOUNT, on_load=[S.load_two_factor])
def account_page() -> rx.Component:
    return rx.vstack(_change_password(), _two_factor(), _sign_out_everywhere(), spacing="4",
                     align="stretch", max_width="640px")
