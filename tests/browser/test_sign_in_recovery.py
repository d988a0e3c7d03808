"""Two-factor sign-in set up on the Account page and used at sign-in, with the code typed as a
person types it; and a forgotten password reset through the emailed link."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from billing_app.models.users import Role
from tests.browser.conftest import sign_in
from tests.support.factories import PASSWORD, committed_user


@pytest.mark.browser
def test_two_factor_is_set_up_on_the_account_page_and_asked_for_at_sign_in(page, live_app,
                                                                         live_engine):
    email = committed_user(live_engine, Role.ACCOUNTANT, "totp")
    sign_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/account")
    expect(page.get_by_text("Off: signing in asks for your password only.")).to_be_visible()
    page.get_by_role("button", name="Set up two-factor").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#two-factor-key").inner_text().strip())

    page.get_by_label("Code from the app").press_sequentially("000000", delay=80)
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    page.get_by_label("Code from the app").fill("")
    page.get_by_label("Code from the app").press_sequentially(totp.now(), delay=80)
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    expect(page.locator("#two-factor-key")).to_have_count(0)  # the secret is gone from the page

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    sign_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/login/code"))
    page.get_by_label("Authentication code").press_sequentially("123456", delay=80)
    page.get_by_role("button", name="Verify and sign in").click()
    expect(page.get_by_text("That code is not right or was used already.")).to_be_visible()
    page.get_by_label("Authentication code").press_sequentially(
        totp.at(time.time() + 30), delay=80)  # the next step's code: the set-up used this one
    page.get_by_role("button", name="Verify and sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Home")).to_be_visible()


@pytest.mark.browser
def test_a_forgotten_password_is_reset_through_the_emailed_link(page, live_app, live_worker,
                                                                live_engine, smtp_server):
    email = committed_user(live_engine, Role.ACCOUNTANT, "forgot")
    new_password = "the password I will remember"
    page.goto("/login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password/?$"))
    page.wait_for_load_state("networkidle")  # typing into a page still loading loses keys
    page.get_by_label("Email").press_sequentially(email, delay=60)
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_role("button", name="Email me a reset link").click()
    expect(page.get_by_text("If an account exists for that address")).to_be_visible()

    deadline = time.monotonic() + 120  # the worker starts with this test, on a busy machine
    while not smtp_server.to(email) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert smtp_server.to(email), live_app.log_tail(80)
    body = smtp_server.to(email)[0].get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+(/reset-password\?token=[\w-]+)", body).group(1)

    page.goto(link)
    page.get_by_label("New password", exact=True).press_sequentially(new_password, delay=60)
    page.get_by_label("Repeat the new password").press_sequentially(new_password, delay=60)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    sign_in(page, email, new_password)
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto(link)  # once only
    page.get_by_label("New password", exact=True).fill("and yet another one")
    page.get_by_label("Repeat the new password").fill("and yet another one")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("This reset link does not work any more")).to_be_visible()
