"""The product catalogue in the browser: create, refuse a bad price, edit, deactivate, roles."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.catalog import Product
from billing_app.models.company import TaxRate
from tests.browser.conftest import sign_in
from tests.browser.test_clients import click_on, error_next_to

pytestmark = pytest.mark.browser


def _product(engine, sku: str) -> Product | None:
    with Session(engine) as db:
        return db.exec(select(Product).where(Product.sku == sku)).first()


def _open_products(page, email: str):
    sign_in(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="Products").click()
    expect(page).to_have_url(re.compile(r"/products$"))
    # the products table, not the home page's tables that may still show for a moment
    expect(page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="SKU"))).to_be_visible()


def test_accountant_creates_edits_and_deactivates_a_product(page, live_engine):
    sku = f"T-{uuid.uuid4().hex[:8]}".upper()
    _open_products(page, "accountant@example.com")
    page.get_by_role("button", name="New product").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Currency")).to_have_value("EUR")
    expect(dialog.get_by_label("Tax rate")).to_have_value(
        str(_default_rate(live_engine).id))  # the default rate is chosen for a new product
    dialog.get_by_label("Name").fill("Code review")
    dialog.get_by_label("SKU").fill(sku)
    dialog.get_by_label("Unit", exact=True).fill("hour")
    price = dialog.get_by_label("Unit price")
    for bad in ("abc", "-5"):
        price.fill(bad)
        dialog.get_by_role("button", name="Create product").click()
        expect(error_next_to(dialog, "Unit price")).to_contain_text("Unit price")
        assert _product(live_engine, sku) is None
    price.fill("85.50")
    dialog.get_by_role("button", name="Create product").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert _product(live_engine, sku).unit_price == 85.5

    page.get_by_label("Search products").fill(sku)
    row = page.get_by_role("row").filter(has_text=sku)
    expect(row).to_contain_text("€85.50")
    expect(row).to_contain_text("Standard 19%")

    row.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Unit price")).to_have_value("85.50")
    dialog.get_by_label("Unit price").fill("90")
    dialog.get_by_label("Tax rate").select_option(label="Reduced 7%")
    dialog.get_by_role("button", name="Save changes").click()
    expect(row).to_contain_text("€90.00")
    expect(row).to_contain_text("Reduced 7%")

    row.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("No products match your search.")).to_be_visible()
    assert _product(live_engine, sku).is_active is False
    click_on(page.get_by_label("Show inactive"))
    expect(row.get_by_text("Inactive")).to_be_visible()
    row.get_by_role("button", name="Activate").click()
    expect(row.get_by_text("Active", exact=True)).to_be_visible()
    assert _product(live_engine, sku).is_active is True


def _default_rate(engine) -> TaxRate:
    with Session(engine) as db:
        return db.exec(select(TaxRate).where(TaxRate.is_default)).one()


def test_viewer_sees_the_catalogue_without_write_buttons(page):
    _open_products(page, "viewer@example.com")
    expect(page.get_by_role("row").filter(has_text="IT consulting")).to_be_visible()
    expect(page.get_by_role("button", name="New product")).to_have_count(0)
    expect(page.get_by_role("button", name="Edit")).to_have_count(0)
    expect(page.get_by_role("button", name="Deactivate")).to_have_count(0)
