"""Pages anyone may open: sign in, and the 'not allowed' page."""

import reflex as rx

from billing_app.auth.passwords import MIN_PASSWORD_LENGTH
from billing_app.ui import routes
from billing_app.ui.components.native_form import FORGET_CLIENT_TOKEN, native_form
from billing_app.ui.layout.shell import PRODUCT_NAME
from billing_app.ui.states.auth import AuthState, landing_route
from billing_app.ui.states.login import LoginState


def _brand() -> rx.Component:
    return rx.hstack(rx.icon("landmark", size=26, color=rx.color("accent", 9)),
                     rx.heading(PRODUCT_NAME, size="6", as_="p"), align="center")


def _messages() -> rx.Component:
    return rx.fragment(
        rx.cond(LoginState.notice != "",
                rx.callout(LoginState.notice, icon="info", width="100%")),
        rx.cond(LoginState.error != "",
                rx.callout(LoginState.error, icon="triangle-alert", color_scheme="red",
                           role="alert", width="100%")),
    )


def _public_card(intro: str, form: rx.Component, *after: rx.Component) -> rx.Component:
    """The centred card of the pages before sign-in: brand, company, messages, one form."""
    return rx.center(
        rx.card(
            rx.vstack(
                _brand(),
                rx.cond(
                    LoginState.company_name != "",
                    rx.hstack(
                        rx.cond(LoginState.company_logo != "",
                                rx.image(src=LoginState.company_logo, alt="Company logo", height="40px")),
                        rx.text(LoginState.company_name, weight="medium"),
                        align="center",
                    ),
                ),
                rx.text(intro, color_scheme="gray"),
                _messages(),
                form,
                *after,
                spacing="4",
                align="stretch",
            ),
            width="380px",
            size="4",
        ),
        height="100vh",
        class_name="login-backdrop",
    )


def _post_form(action: str, *fields: rx.Component) -> rx.Component:
    return native_form(rx.vstack(*fields, spacing="2", align="stretch"),
                       action=action, method="post", width="100%")


def _labelled_input(label: str, id_: str, name: str, **props) -> rx.Component:
    return rx.fragment(rx.el.label(label, html_for=id_, class_name="field-label"),
                       rx.input(id=id_, name=name, required=True, width="100%", **props))


def _submit(label: str, **props) -> rx.Component:
    return rx.button(label, type="submit", width="100%", size="3", margin_top="0.5em", **props)


def login_page() -> rx.Component:
    """A plain HTML form posting to /auth/login, which sets the HttpOnly session cookie."""
    return _public_card(
        "Sign in to your billing workspace.",
        _post_form(
            "/auth/login",
            _labelled_input("Email", "login-email", "email", type="email",
                            auto_complete="username", auto_focus=True),
            _labelled_input("Password", "login-password", "password", type="password",
                            auto_complete="current-password"),
            rx.el.input(type="hidden", name="next", value=LoginState.next_path),
            _submit("Sign in", on_click=FORGET_CLIENT_TOKEN),
        ),
        rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2"),
    )


def login_code_page() -> rx.Component:
    """The second step for an account with two-factor on (the password was right)."""
    return _public_card(
        "Type the 6-digit code from your authenticator app, or one of your recovery codes.",
        _post_form(
            "/auth/login/code",
            _labelled_input("Authentication code", "login-code", "code",
                            auto_complete="one-time-code", auto_focus=True),
            rx.el.input(type="hidden", name="next", value=LoginState.next_path),
            _submit("Verify and sign in", on_click=FORGET_CLIENT_TOKEN),
        ),
        rx.link("Start again", href=routes.LOGIN, size="2"),
    )


def forgot_password_page() -> rx.Component:
    return _public_card(
        "Type the email address of your account; we send it a link to choose a new password.",
        _post_form(
            "/auth/forgot-password",
            _labelled_input("Email", "forgot-email", "email", type="email",
                            auto_complete="username", auto_focus=True),
            _submit("Email me a reset link"),
        ),
        rx.link("Back to sign-in", href=routes.LOGIN, size="2"),
    )


def reset_password_page() -> rx.Component:
    return _public_card(
        "Choose a new password. Every session of your account is signed out afterwards.",
        _post_form(
            "/auth/reset-password",
            _labelled_input("New password", "reset-new", "new_password", type="password",
                            auto_complete="new-password"),
            rx.text(f"At least {MIN_PASSWORD_LENGTH} characters.", size="1", color_scheme="gray"),
            _labelled_input("Repeat the new password", "reset-repeat", "repeat_password",
                            type="password", auto_complete="new-password"),
            rx.el.input(type="hidden", name="token", value=LoginState.reset_token),
            _submit("Set new password"),
        ),
        rx.link("Ask for a new link", href=routes.FORGOT_PASSWORD, size="2"),
    )


def _notice_page(icon: str, heading: str, text: str) -> rx.Component:
    """A centred card with a way back: the start page when signed in, else sign-in."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.icon(icon, size=36, color=rx.color("red", 9)),
                rx.heading(heading, size="6", as_="h1"),
                rx.text(text),
                rx.cond(
                    AuthState.user_role != "",
                    rx.link("Go to your start page", href=rx.cond(AuthState.user_role == "client",
                                                                 landing_route("client"), landing_route("admin"))),
                    rx.link("Sign in", href=routes.LOGIN),
                ),
                align="center",
                spacing="3",
            ),
            size="4",
        ),
        height="100vh",
    )


def not_allowed_page() -> rx.Component:
    return _notice_page("shield-x", "Not allowed", "Your role does not give access to that page.")


def not_found_page() -> rx.Component:
    return _notice_page("file-question", "Page not found",
                        "There is no page at this address. It may have moved, or the link is wrong.")
