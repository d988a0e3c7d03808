"""Each role signs in, sees only its navigation, is refused other pages, and signs out."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.company import Company
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.queries.company import company_today

from tests.browser.conftest import sign_in

NAV = ["Home", "Clients", "Invoices", "Payments", "Bank", "Products", "Email log", "My invoices", "Users",
       "Settings", "Audit log"]
STAFF = {"Home", "Clients", "Invoices", "Payments", "Bank", "Products", "Email log"}

ROLES = {
    # email: (landing path, navigation it sees, pages it may not open)
    "admin@example.com": ("/", STAFF | {"Users", "Settings", "Audit log"}, ["/my/invoices"]),
    "accountant@example.com": ("/", STAFF, ["/admin/settings"]),
    "viewer@example.com": ("/", STAFF, ["/invoices/new", "/payments/new", "/bank/import"]),
    "client@example.com": ("/my/invoices", {"My invoices"}, ["/", "/payments", "/bank", "/emails"]),
}


def nav_links(page):
    return page.get_by_role("navigation", name="Main navigation")


@pytest.mark.browser
@pytest.mark.parametrize("email", list(ROLES))
def test_role_sees_its_navigation_only_and_is_refused_other_pages(page, live_app, email):
    landing, visible, forbidden = ROLES[email]
    sign_in(page, email)
    expect(page).to_have_url(re.compile(re.escape(live_app.url + landing.rstrip("/")) + r"/?$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    nav = nav_links(page)
    for title in NAV:
        link = nav.get_by_role("link", name=title, exact=True)
        if title in visible:
            expect(link).to_be_visible()
        else:
            expect(link).to_have_count(0)

    for path in forbidden:
        page.goto(path)
        if path == "/":  # a client's home is its own invoice page
            expect(page).to_have_url(re.compile(r"/my/invoices/?$"))
        else:
            expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
            expect(page).to_have_url(re.compile(r"/not-allowed/?$"))
            expect(page.get_by_role("table")).to_have_count(0)
        page.wait_for_timeout(500)  # a refused page's own loads would toast by now
        expect(page.get_by_text("You are not allowed to do this.")).to_have_count(0)

    page.goto(landing)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    page.goto(landing)
    expect(page).to_have_url(re.compile(r"/login/?\?next="))


@pytest.mark.browser
def test_wrong_password_is_refused_with_a_clear_message(page):
    sign_in(page, "admin@example.com", "not the right password")
    expect(page.get_by_role("alert")).to_have_text("Invalid email or password.")
    expect(page).to_have_url(re.compile(r"/login/?\?error=invalid"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


@pytest.mark.browser
def test_private_page_without_session_goes_to_login_and_back(page, live_app):
    page.goto("/admin/users")
    expect(page).to_have_url(re.compile(r"/login/?\?next=(%2F|/)admin(%2F|/)users"))
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/users/?$"))
    expect(page.get_by_role("table")).to_be_visible()


@pytest.mark.browser
def test_client_sees_only_its_own_issued_invoices(page, live_engine):
    with Session(live_engine) as db:
        client_id = db.exec(select(User.client_id).where(User.email == "client@example.com")).one()
        own = set(db.exec(select(Invoice.number).where(Invoice.client_id == client_id,
                                                       Invoice.status != "draft")).all())
        company_id = db.exec(select(Company.id)).one()
        today = company_today(db)
        db.add(Invoice(company_id=company_id, client_id=client_id, issue_date=today, due_date=today,
                       notes="a draft the client must not see"))
        db.commit()
    assert own
    sign_in(page, "client@example.com")
    expect(page.get_by_label("Invoices")).to_contain_text(f"{len(own)}")
    numbers = page.get_by_role("table").get_by_role("rowheader").all_inner_texts()
    assert numbers and set(numbers) <= own
    expect(page.get_by_text("(draft)")).to_have_count(0)


@pytest.mark.browser
def test_an_unknown_address_gets_a_page_not_found_with_a_way_back(page):
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/invoices/12/nothing-here")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Go to your start page").click()
    expect(page).to_have_url(re.compile(r"/$"))
