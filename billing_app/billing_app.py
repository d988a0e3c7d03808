"""The Reflex app: pages and the JSON API mount; nothing else."""

import reflex as rx

import billing_app.ui.pages  # noqa: F401  (registers the private pages)
from billing_app.api.app import create_api
from billing_app.ui import routes
from billing_app.ui.event_log import EventLogContext
from billing_app.ui.layout.page import add_private_pages
from billing_app.ui.layout.shell import PRODUCT_NAME
from billing_app.ui.pages.public import (
    forgot_password_page,
    login_code_page,
    login_page,
    not_allowed_page,
    not_found_page,
    reset_password_page,
)
from billing_app.ui.states.auth import AuthState, ResetOnSignInChange
from billing_app.ui.states.login import LoginState

app = rx.App(
    stylesheets=["/styles.css"],
    api_transformer=create_api(),
    toaster=rx.toast.provider(position="bottom-right", close_button=True),  # clear of the header
)
app.add_page(login_page, route=routes.LOGIN, title=f"Sign in · {PRODUCT_NAME}", on_load=LoginState.prepare)
app.add_page(login_code_page, route=routes.LOGIN_CODE, title=f"Sign-in code · {PRODUCT_NAME}",
             on_load=LoginState.prepare)
app.add_page(forgot_password_page, route=routes.FORGOT_PASSWORD,
             title=f"Forgot password · {PRODUCT_NAME}", on_load=LoginState.prepare_reset)
app.add_page(reset_password_page, route=routes.RESET_PASSWORD,
             title=f"Choose a new password · {PRODUCT_NAME}", on_load=LoginState.prepare_reset)
app.add_page(not_allowed_page, route=routes.NOT_ALLOWED, title=f"Not allowed · {PRODUCT_NAME}",
             on_load=AuthState.load_identity)
app.add_page(not_found_page, route="404", title=f"Page not found · {PRODUCT_NAME}",
             on_load=AuthState.load_identity)
add_private_pages(app)
app.add_middleware(ResetOnSignInChange())
app.add_middleware(EventLogContext())  # after: a new sign-in's events name the new user
