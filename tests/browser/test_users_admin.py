"""An admin manages users in the UI; bad input is explained and changes nothing."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.users import User
from tests.browser.conftest import sign_in

NEW_PASSWORD = "a-long-enough-password"


def _user(engine, email):
    with Session(engine) as db:
        return db.exec(select(User).where(User.email == email)).first()


@pytest.mark.browser
def test_admin_creates_a_user_who_can_then_sign_in(page, live_app, live_engine, chromium):
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    sign_in(page, "admin@example.com")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Full name").fill("Nora New")
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Role").select_option("accountant")
    dialog.get_by_label("Initial password").fill("short")
    dialog.get_by_role("button", name="Create user").click()
    expect(dialog.get_by_text("at least 12 characters", exact=False).first).to_be_visible()
    assert _user(live_engine, email) is None

    dialog.get_by_label("Initial password").fill(NEW_PASSWORD)
    dialog.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_label("Search users").fill(email)
    expect(page.get_by_role("row").filter(has_text=email)).to_be_visible()
    assert _user(live_engine, email).role == "accountant"

    other = chromium.new_context(base_url=live_app.url).new_page()
    sign_in(other, email, NEW_PASSWORD)
    expect(other.get_by_role("button", name="Sign out")).to_be_visible()
    expect(other.get_by_text("Nora New")).to_be_visible()
    other.context.close()


@pytest.mark.browser
def test_admin_changes_a_role_and_deactivates_a_user(page, live_app, live_engine):
    email = f"temp-{uuid.uuid4().hex[:8]}@example.com"
    sign_in(page, "admin@example.com")
    page.goto("/admin/users")
    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Full name").fill("Tess Temp")
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Role").select_option("viewer")
    dialog.get_by_label("Initial password").fill(NEW_PASSWORD)
    dialog.get_by_role("button", name="Create user").click()
    page.get_by_label("Search users").fill(email)
    row = page.get_by_role("row").filter(has_text=email)
    row.get_by_label(f"Role of {email}").select_option("admin")
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("from Viewer to Admin")
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)
    assert _user(live_engine, email).role == "viewer"  # nothing happens until confirmed

    row.get_by_label(f"Role of {email}").select_option("accountant")
    expect(confirm).to_contain_text("from Viewer to Accountant")
    confirm.get_by_role("button", name="Change role").click()
    expect(page.get_by_text("Role changed.")).to_be_visible()
    row.get_by_role("button", name="Deactivate").click()
    expect(confirm).to_contain_text("can no longer sign in")
    assert _user(live_engine, email).is_active
    confirm.get_by_role("button", name="Deactivate").click()
    expect(row.get_by_text("Deactivated")).to_be_visible()
    user = _user(live_engine, email)
    assert (user.role, user.is_active) == ("accountant", False)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, email, NEW_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text("Invalid email or password.")
    expect(page).to_have_url(re.compile(r"/login"))
