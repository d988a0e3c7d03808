"""Pages anyone may open: sign in, and the 'not allowed' page."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.native_form import FORGET_CLIENT_TOKEN, native_form
from billing_app.ui.layout.shell import PRODUCT_NAME
from billing_app.ui.states.auth import AuthState, landing_route
from billing_app.ui.states.login import LoginState


def _brand() -> rx.Component:
    return rx.hstack(rx.icon("landmark", size=26, color=rx.color("accent", 9)),
                     rx.heading(PRODUCT_NAME, size="6", as_="p"), align="center")


def login_page() -> rx.Component:
    """A plain HTML form posting to /auth/login, which sets the HttpOnly session cookie."""
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
                rx.text("Sign in to your billing workspace.", color_scheme="gray"),
                rx.cond(LoginState.notice != "",
                        rx.callout(LoginState.notice, icon="info", width="100%")),
                rx.cond(LoginState.error != "",
                        rx.callout(LoginState.error, icon="triangle-alert", color_scheme="red",
                                   role="alert", width="100%")),
                native_form(
                    rx.vstack(
                        rx.el.label("Email", html_for="login-email", class_name="field-label"),
                        rx.input(id="login-email", name="email", type="email", required=True,
                                 auto_complete="username", width="100%", auto_focus=True),
                        rx.el.label("Password", html_for="login-password", class_name="field-label"),
                        rx.input(id="login-password", name="password", type="password", required=True,
                                 auto_complete="current-password", width="100%"),
                        rx.el.input(type="hidden", name="next", value=LoginState.next_path),
                        rx.button("Sign in", type="submit", width="100%", size="3", margin_top="0.5em",
                                  on_click=FORGET_CLIENT_TOKEN),
                        spacing="2",
                        align="stretch",
                    ),
                    action="/auth/login",
                    method="post",
                    width="100%",
                ),
                spacing="4",
                align="stretch",
            ),
            width="380px",
            size="4",
        ),
        height="100vh",
        class_name="login-backdrop",
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
