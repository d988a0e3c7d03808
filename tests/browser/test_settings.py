"""An admin edits the company settings; bad input is explained next to its field and changes nothing."""

import re
import uuid
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlmodel import Session, func, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.company import Company, TaxRate
from billing_app.queries.company import company_today
from billing_app.services.company import company_update, number_preview
from billing_app.services.numbering import next_sequence_value
from billing_app.ui.states.settings import COMPANY_FIELDS, INVOICING_FIELDS, CompanySettingsState
from tests.browser.conftest import sign_in

ADMIN = "admin@example.com"


def _company(engine) -> Company:
    with Session(engine) as db:
        return db.exec(select(Company).order_by(Company.id)).first()


@pytest.fixture
def restore_company(live_engine):
    """Other browser tests share the database and issue invoices: put the settings back."""
    before = _company(live_engine)
    fields = (*COMPANY_FIELDS, *INVOICING_FIELDS, "prices_include_tax")
    saved = {name: getattr(before, name) for name in fields}
    yield before
    with Session(live_engine) as db:
        company = company_update(db, actor=SYSTEM_ACTOR, data=saved)
        company.logo_path = before.logo_path
        db.add(company)
        db.commit()


def _open_tab(page, tab: str) -> None:
    sign_in(page, ADMIN)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/admin/settings")
    page.get_by_role("tab", name=tab).click()


def _png(width: int = 120, height: int = 60) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 80, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _choose_file(page, name: str, content: bytes, mime: str = "image/png") -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Drop an image here, or click to choose one").click()
    chooser.value.set_files({"name": name, "mimeType": mime, "buffer": content})


def _just_below(field, message) -> bool:
    """The message sits right under the field, not somewhere else on the page."""
    box, under = field.bounding_box(), message.bounding_box()
    return 0 < under["y"] - box["y"] < 90 and abs(under["x"] - box["x"]) < 20


def _next_number(engine, company, today, pattern: str | None = None) -> str:
    """What the next issued invoice would be numbered: the year's sequence goes on."""
    pattern = pattern or company.invoice_number_pattern
    with Session(engine) as db:
        sequence = next_sequence_value(db, company_id=company.id, kind="invoice", pattern=pattern,
                                       issue_date=today)
    return number_preview(pattern, today, sequence)


@pytest.mark.browser
def test_admin_changes_the_number_pattern_with_a_live_preview(page, live_engine, restore_company):
    _open_tab(page, "Invoicing")
    with Session(live_engine) as db:
        today = company_today(db)
    preview = page.get_by_text("Next invoice number will look like")
    expect(preview).to_contain_text(_next_number(live_engine, restore_company, today))

    pattern = page.get_by_label("Invoice number pattern")
    pattern.fill("BILL-{YY}-{SEQ:04}")
    next_of_year = _next_number(live_engine, restore_company, today, "BILL-{YY}-{SEQ:04}")
    assert not next_of_year.endswith("-0001")  # the demo has issued this year: not the first
    expect(preview).to_contain_text(next_of_year)
    page.get_by_label("Prices include tax").set_checked(not restore_company.prices_include_tax)
    page.screenshot(path="/tmp/settings-invoicing.png", full_page=True)
    page.get_by_role("button", name="Save invoicing settings").click()
    expect(page.get_by_text("Invoicing settings saved.")).to_be_visible()
    stored = _company(live_engine)
    assert stored.invoice_number_pattern == "BILL-{YY}-{SEQ:04}"
    assert stored.prices_include_tax is not restore_company.prices_include_tax

    page.reload()
    page.get_by_role("tab", name="Invoicing").click()
    expect(page.get_by_label("Invoice number pattern")).to_have_value("BILL-{YY}-{SEQ:04}")

    page.get_by_label("Invoice number pattern").fill("INV-{XYZ}")
    expect(preview).to_have_count(0)
    page.get_by_role("button", name="Save invoicing settings").click()
    error = page.get_by_role("alert").filter(has_text="Unknown placeholder")
    expect(error).to_be_visible()
    assert _just_below(page.get_by_label("Invoice number pattern"), error)
    page.screenshot(path="/tmp/settings-bad-pattern.png", full_page=True)
    expect(page.get_by_text("Invoicing settings saved.")).to_have_count(0)
    assert _company(live_engine).invoice_number_pattern == "BILL-{YY}-{SEQ:04}"


@pytest.mark.browser
def test_admin_saves_company_details_and_a_bad_email_is_explained(page, live_engine, restore_company):
    _open_tab(page, "Company")
    page.get_by_label("City").fill("Hamburg")
    page.get_by_label("Email", exact=True).fill("not an email")
    page.get_by_role("button", name="Save company details").click()
    error = page.get_by_role("alert").filter(has_text="email")
    expect(error).to_be_visible()
    assert _just_below(page.get_by_label("Email", exact=True), error)
    page.screenshot(path="/tmp/settings-bad-email.png", full_page=True)
    assert _company(live_engine).city == restore_company.city

    page.get_by_label("Email", exact=True).fill("billing@example.com")
    page.get_by_role("button", name="Save company details").click()
    expect(page.get_by_text("Company details saved.")).to_be_visible()
    page.screenshot(path="/tmp/settings-company.png", full_page=True)
    stored = _company(live_engine)
    assert (stored.city, stored.email) == ("Hamburg", "billing@example.com")


def _rates_named(engine, name: str) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(TaxRate)
                       .where(func.lower(TaxRate.name) == name.lower())).one()


@pytest.mark.browser
def test_admin_adds_a_tax_rate_and_a_duplicate_name_is_refused(page, live_engine):
    name = f"Reduced {uuid.uuid4().hex[:6]}"
    _open_tab(page, "Tax rates")
    page.get_by_role("button", name="Add tax rate").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Rate (%)").fill("seven")
    dialog.get_by_role("button", name="Save tax rate").click()
    expect(dialog.get_by_role("alert").filter(has_text="Rate")).to_be_visible()
    assert _rates_named(live_engine, name) == 0

    dialog.get_by_label("Rate (%)").fill("7.5")
    dialog.get_by_role("button", name="Save tax rate").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("7.5 %")
    expect(row).to_contain_text("Active")
    page.screenshot(path="/tmp/settings-tax-rates.png", full_page=True)
    assert _rates_named(live_engine, name) == 1

    page.get_by_role("button", name="Add tax rate").click()
    dialog.get_by_label("Name").fill(name.upper())
    dialog.get_by_label("Rate (%)").fill("9")
    dialog.get_by_role("button", name="Save tax rate").click()
    expect(dialog.get_by_role("alert").filter(has_text="already exists")).to_be_visible()
    assert _just_below(dialog.get_by_label("Name"), dialog.get_by_role("alert"))
    page.screenshot(path="/tmp/settings-tax-rate-dialog.png")
    dialog.get_by_role("button", name="Cancel").click()
    assert _rates_named(live_engine, name) == 1

    row.get_by_role("button", name=f"Edit {name}").click()
    expect(dialog.get_by_label("Name")).to_have_value(name)
    dialog.get_by_label("Description (optional)").fill("Food and books.")
    dialog.get_by_role("button", name="Save tax rate").click()
    expect(row).to_contain_text("Food and books.")

    row.get_by_role("button", name="Deactivate").click()
    expect(row).to_contain_text("Inactive")
    with Session(live_engine) as db:
        assert db.exec(select(TaxRate.is_active).where(TaxRate.name == name)).one() is False


@pytest.mark.browser
def test_admin_uploads_a_logo_and_a_too_big_or_broken_file_changes_nothing(page, live_engine,
                                                                          restore_company):
    _open_tab(page, "Logo")
    expect(page.get_by_text("PNG, JPEG or WebP, at most 1 MB")).to_be_visible()
    _choose_file(page, "logo.png", _png())
    expect(page.get_by_text("Chosen: logo.png")).to_be_visible()
    page.get_by_role("button", name="Upload logo").click()
    expect(page.get_by_text("Logo uploaded.")).to_be_visible()
    stored = _company(live_engine).logo_path
    assert stored and stored != restore_company.logo_path
    logo = page.get_by_role("img", name="Company logo")
    expect(logo).to_have_attribute("src", re.compile(re.escape(stored.split("/")[-1].split(".")[0])))
    page.wait_for_function("img => img.complete && img.naturalWidth === 120", arg=logo.element_handle())
    page.screenshot(path="/tmp/settings-logo.png", full_page=True)

    _choose_file(page, "huge.png", b"\x89PNG" + bytes(5 * 1024 * 1024))
    expect(page.get_by_role("alert").filter(has_text="at most 1 MB")).to_be_visible()
    expect(page.get_by_role("button", name="Upload logo")).to_be_disabled()
    page.screenshot(path="/tmp/settings-logo-too-big.png", full_page=True)

    _choose_file(page, "broken.png", b"\x89PNG but not really an image")
    page.get_by_role("button", name="Upload logo").click()
    expect(page.get_by_role("alert").filter(has_text="must be a PNG, JPEG or WebP image")).to_be_visible()
    assert _company(live_engine).logo_path == stored
    expect(logo).to_be_visible()

    page.get_by_role("button", name="Remove logo").click()
    expect(page.get_by_text("No logo yet")).to_be_visible()
    assert _company(live_engine).logo_path is None


@pytest.mark.browser
def test_an_upload_from_a_non_admin_session_is_refused(page, live_engine, restore_company):
    """The upload endpoint runs the handler for whichever tab token it is given: it must check."""
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token
    response = page.request.post(
        "/_upload",
        headers={"Reflex-Client-Token": token,
                 "Reflex-Event-Handler": f"{CompanySettingsState.get_full_name()}.upload_logo"},
        multipart={"files": {"name": "logo.png", "mimeType": "image/png", "buffer": _png()}},
    )
    assert response.ok
    assert "not allowed" in response.text().lower()
    assert _company(live_engine).logo_path == restore_company.logo_path


@pytest.mark.browser
def test_accountant_may_not_open_the_settings(page):
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/admin/settings")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/not-allowed/?$"))
    expect(page.get_by_label("Invoice number pattern")).to_have_count(0)
