"""The company setting "Require two-factor for admins": turned on in Settings by clicking, it
sends an admin without two-factor to the Account page at sign-in and keeps them there until
they set it up with a code from their app; then the dashboard opens."""

import re

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.company import Company
from billing_app.models.users import Role
from billing_app.services.company import company_update
from tests.browser.conftest import sign_in
from tests.support.factories import PASSWORD, committed_user

TYPING = 60  # ms between keys
SET_UP_PAGE = re.compile(r"/account\?two_factor=required$")


def _required(engine) -> bool:
    with Session(engine) as db:
        return db.exec(select(Company).order_by(Company.id)).first().require_admin_two_factor


@pytest.fixture
def restore_two_factor_rule(live_engine):
    """The other browser tests sign in as demo admins without two-factor: put the rule back."""
    before = _required(live_engine)
    yield before
    with Session(live_engine) as db:
        company_update(db, actor=SYSTEM_ACTOR, data={"require_admin_two_factor": before})
        db.commit()


@pytest.fixture
def new_admin(live_engine) -> str:
    return committed_user(live_engine, Role.ADMIN, "admin-2fa")


@pytest.mark.browser
def test_an_admin_without_two_factor_must_set_it_up_before_anything_else(
        page, chromium, live_app, live_engine, restore_two_factor_rule, new_admin):
    assert restore_two_factor_rule is False, "the demo book starts without the rule"
    sign_in(page, "admin@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("tab", name="Security").click()
    rule = page.get_by_label("Require two-factor for admins")
    expect(rule).not_to_be_checked()
    rule.click()
    expect(rule).to_be_checked()
    page.get_by_role("button", name="Save security settings").click()
    expect(page.get_by_text("Security settings saved.")).to_be_visible()
    assert _required(live_engine) is True

    context = chromium.new_context(base_url=live_app.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(20_000)
    try:
        admin = context.new_page()
        sign_in(admin, new_admin, PASSWORD)
        expect(admin).to_have_url(SET_UP_PAGE)
        expect(admin.get_by_text("Your company requires two-factor sign-in for admins.")).to_be_visible()
        for path in ("/admin/users", "/admin/settings", "/invoices", "/"):
            admin.goto(path)
            expect(admin).to_have_url(SET_UP_PAGE)
        admin.get_by_role("link", name="Users").click()  # the menu leads back here too
        expect(admin).to_have_url(SET_UP_PAGE)
        expect(admin.get_by_role("heading", name="Users")).to_have_count(0)

        admin.get_by_role("button", name="Set up two-factor").click()
        expect(admin.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
        totp = pyotp.TOTP(admin.locator("#two-factor-key").inner_text().strip())
        admin.get_by_label("Code from the app").press_sequentially(totp.now(), delay=TYPING)
        admin.get_by_role("button", name="Turn on two-factor").click()
        expect(admin.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
        expect(admin.get_by_text("Your company requires two-factor sign-in for admins.")).to_have_count(0)

        admin.get_by_role("link", name="Home").click()
        expect(admin).to_have_url(re.compile(r"/$"))
        expect(admin.get_by_role("heading", name="Home")).to_be_visible()
        admin.get_by_role("link", name="Users").click()
        expect(admin).to_have_url(re.compile(r"/admin/users$"))
        expect(admin.get_by_role("heading", name="Users")).to_be_visible()
    finally:
        context.close()
