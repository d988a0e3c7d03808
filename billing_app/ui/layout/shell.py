"""The frame around every private page: sidebar navigation, header with the user, content."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.native_form import FORGET_CLIENT_TOKEN, native_form
from billing_app.ui.states.auth import AuthState

PRODUCT_NAME = "Ledgerline"

ROLE_LABELS = {"admin": "Admin", "accountant": "Accountant", "viewer": "Viewer", "client": "Client"}


def _nav_link(spec: routes.PageSpec) -> rx.Component:
    active = AuthState.current_route == spec.route
    return rx.cond(
        AuthState.allowed_routes.contains(spec.route),
        rx.link(
            rx.hstack(rx.icon(spec.icon, size=18), rx.text(spec.title, size="3"), align="center"),
            href=spec.route,
            class_name=rx.cond(active, "nav-link nav-link-active", "nav-link"),
            underline="none",
        ),
    )


def sidebar() -> rx.Component:
    return rx.el.nav(
        rx.vstack(
            rx.hstack(
                rx.icon("landmark", size=22, color=rx.color("accent", 9)),
                rx.heading(PRODUCT_NAME, size="5", as_="p"),
                align="center",
                padding_bottom="1em",
            ),
            *[_nav_link(spec) for spec in routes.GUARDED_PAGES if spec.in_nav],
            spacing="1",
            align="stretch",
        ),
        aria_label="Main navigation",
        class_name="sidebar",
    )


def sign_out_button() -> rx.Component:
    return native_form(
        rx.button(rx.icon("log-out", size=16), "Sign out", type="submit", variant="soft",
                  color_scheme="gray", on_click=FORGET_CLIENT_TOKEN),
        action="/auth/logout",
        method="post",
    )


def header(title: str) -> rx.Component:
    return rx.hstack(
        rx.heading(title, size="7", as_="h1"),
        rx.spacer(),
        rx.hstack(
            rx.link(
                rx.vstack(
                    rx.text(AuthState.user_name, weight="medium", size="2"),
                    rx.text(AuthState.user_email, size="1", color_scheme="gray"),
                    spacing="0",
                    align="end",
                ),
                href=routes.ACCOUNT.route,
                underline="none",
                color="inherit",
                title="Account: password and sessions",
            ),
            rx.badge(
                rx.match(AuthState.user_role, *ROLE_LABELS.items(), AuthState.user_role),
                variant="soft",
                aria_label="Role",
            ),
            sign_out_button(),
            align="center",
            spacing="3",
        ),
        width="100%",
        align="center",
        class_name="page-header",
    )


def shell(title: str, content: rx.Component) -> rx.Component:
    """Nothing private is rendered until the server has confirmed who is signed in."""
    return rx.cond(
        AuthState.user_role != "",
        rx.hstack(
            sidebar(),
            rx.box(header(title), rx.el.main(content, class_name="page-content"), class_name="page"),
            spacing="0",
            align="stretch",
            class_name="app",
        ),
        rx.center(rx.spinner(size="3"), height="100vh", aria_label="Loading"),
    )
