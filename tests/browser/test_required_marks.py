"""Required fields are marked, and bad input is explained next to its field in plain words."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

JARGON = re.compile(r"Input should|String should|Value error|unable to parse|Field required|Line1|"
                    r"this is required", re.IGNORECASE)


def _mark(label) -> str:
    return label.evaluate("label => getComputedStyle(label, '::after').content")


@pytest.mark.browser
def test_the_new_client_form_marks_what_is_required_and_says_what_is_missing(page):
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/clients/new")
    expect(page.get_by_text("Fields marked * are required.")).to_be_visible()
    details = page.get_by_role("group", name="Client details")
    billing = page.get_by_role("group", name="Billing address")
    name_label = details.locator("label", has_text=re.compile(r"^Name$"))
    assert _mark(name_label) == '" *"'
    assert _mark(details.locator("label", has_text=re.compile(r"^Email$"))) in ("none", "normal")
    assert _mark(billing.locator("label", has_text=re.compile(r"^Street and number$"))) == '" *"'

    details.get_by_label("Name", exact=True).fill("Required Marks GmbH")
    billing.get_by_label("City").fill("Hamburg")
    details.get_by_label("Payment terms (days)").fill("ten")
    page.get_by_role("button", name="Create client").click()
    terms = details.locator("label", has_text=re.compile(r"^Payment terms \(days\)$")).locator(
        "xpath=following-sibling::*[@role='alert']")
    expect(terms).to_have_text("Payment terms (days): Enter a whole number.")
    details.get_by_label("Payment terms (days)").fill("14")
    page.get_by_role("button", name="Create client").click()
    street = billing.locator("label", has_text=re.compile(r"^Street and number$")).locator(
        "xpath=following-sibling::*[@role='alert']")
    expect(street).to_have_text("Billing address: Street and number is required.")
    assert not JARGON.search(page.locator("main").inner_text())
