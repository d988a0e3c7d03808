"""Sign-out and sign-in leave nothing of the previous user in the tab's websocket frames;
pages load under the Content Security Policy; the Account page changes the password."""

import re
import uuid

import pytest
import reflex as rx
from playwright.sync_api import expect
from sqlmodel import Session

from billing_app.models.users import Role
from billing_app.ui.states.users import UsersState
from tests.browser.conftest import sign_in
from tests.support.factories import PASSWORD, make_user
from tests.support.websocket import send_events, session_cookie

STAFF_EMAILS = ("admin@example.com", "accountant@example.com", "viewer@example.com")


def frames_of(page) -> list[str]:
    """Every websocket frame the page receives from now on, as text."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, str)
                                                        else payload.decode(errors="replace"))))
    return frames


def leaked(frames: list[str], emails=STAFF_EMAILS) -> list[str]:
    return [email for email in emails if any(email in frame for frame in frames)]


@pytest.mark.browser
def test_after_sign_out_and_the_next_sign_in_no_frame_carries_the_admins_data(page, live_app):
    frames = frames_of(page)
    sign_in(page, "admin@example.com")
    page.goto("/admin/users")
    expect(page.get_by_text("viewer@example.com")).to_be_visible()
    assert leaked(frames) == list(STAFF_EMAILS)  # the admin's own page did carry them
    token_before = page.evaluate("window.sessionStorage.getItem('token')")

    seen = len(frames)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    page.wait_for_timeout(500)  # answers to the login page's events
    assert leaked(frames[seen:]) == []
    assert page.evaluate("window.sessionStorage.getItem('token')") != token_before

    seen = len(frames)
    sign_in(page, "client@example.com")
    expect(page).to_have_url(re.compile(r"/my/invoices$"))
    expect(page.get_by_role("heading", name="My invoices")).to_be_visible()
    page.wait_for_timeout(500)
    assert leaked(frames[seen:]) == []


@pytest.mark.browser
def test_a_tab_keeping_its_client_token_gets_a_reset_state_when_the_cookie_changes(live_app):
    """The server side on its own: same Reflex token, the admin's cookie gone."""
    token = str(uuid.uuid4())
    users_page = {"state": UsersState, "pathname": "/admin/users", "token": token}
    admin_answers = send_events(live_app.url, session_cookie(live_app.url, "admin@example.com"),
                                [("load", {})], **users_page)
    assert leaked([str(a) for a in admin_answers]) != []

    for cookie in (None, session_cookie(live_app.url, "client@example.com")):
        answers = send_events(live_app.url, cookie, [("hydrate_and_load", {})], state=rx.State,
                              pathname="/login", token=token)
        assert answers and leaked([str(a) for a in answers]) == []


@pytest.mark.browser
def test_pages_load_without_content_security_policy_errors(page, live_app):
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    response = page.goto("/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    sign_in(page, "admin@example.com")
    for path, heading in [("/", "Home"), ("/invoices", "Invoices"), ("/admin/users", "Users"),
                          ("/account", "Account")]:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert refused == []


@pytest.mark.browser
def test_the_account_page_changes_the_password(page, live_app, live_engine):
    email = f"account-{uuid.uuid4().hex[:8]}@example.com"
    with Session(live_engine) as session:
        make_user(session, Role.VIEWER, email=email)
        session.commit()
    new_password = "another long password 2026"
    sign_in(page, email, PASSWORD)
    page.get_by_role("link", name=re.compile(re.escape(email))).click()
    expect(page).to_have_url(re.compile(r"/account$"))

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Repeat the new password").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed.")).to_be_visible()

    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    sign_in(page, email, new_password)
    expect(page).to_have_url(re.compile(r"/$"))
