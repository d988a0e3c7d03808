"""Downloading PDFs from the pages in Chromium: a client user its own invoice, a viewer from the
invoice page; an admin previews a layout in Settings."""

import re
from pathlib import Path

from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.domain.creditor_reference import creditor_reference, grouped
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment
from billing_app.models.users import User
from tests.browser.conftest import sign_in
from tests.support.documents import pdf_text


def _issued_invoice(engine, client_id: int | None = None) -> Invoice:
    with Session(engine) as db:
        query = select(Invoice).where(Invoice.number.is_not(None)).order_by(Invoice.id)
        if client_id is not None:
            query = query.where(Invoice.client_id == client_id)
        return db.exec(query).first()


def _download(page, button_name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=button_name).click()
    return Path(download.value.path()).read_bytes()


def test_a_client_user_downloads_its_own_invoice_pdf(page, live_engine):
    with Session(live_engine) as db:
        client_id = db.exec(select(User.client_id).where(User.email == "client@example.com")).one()
    invoice = _issued_invoice(live_engine, client_id)
    sign_in(page, "client@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(f"/my/invoices/{invoice.id}")
    expect(page.get_by_role("heading", name=invoice.number)).to_be_visible()
    content = _download(page, "Download PDF")

    assert content.startswith(b"%PDF-")
    assert invoice.number in pdf_text(content)


def test_a_viewer_downloads_an_invoice_pdf_from_the_invoice_page(page, live_engine):
    invoice = _issued_invoice(live_engine)
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(f"/invoices/{invoice.id}")
    expect(page.get_by_role("heading", name="Sent PDFs")).to_be_visible()
    rf = grouped(creditor_reference(invoice.number))  # what the payer quotes
    expect(page.get_by_text("Creditor reference (RF)")).to_be_visible()
    expect(page.get_by_text(rf, exact=True)).to_be_visible()
    content = _download(page, "Download PDF")

    assert invoice.number in pdf_text(content)
    assert f"Creditor reference {rf}" in pdf_text(content)


def test_an_admin_sees_the_sample_invoice_follow_the_layout_and_a_wrong_iban_explained(page):
    sign_in(page, "admin@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/admin/settings")
    page.get_by_role("tab", name="Documents").click()
    preview = page.get_by_role("img", name="Preview of a sample invoice in the chosen layout")
    expect(preview).to_have_attribute("src", re.compile("^data:image/png;base64,"))
    before = preview.get_attribute("src")

    page.get_by_label("Layout").select_option("modern")

    expect(preview).not_to_have_attribute("src", before)
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 01")
    page.get_by_role("button", name="Save document settings").click()
    expect(page.get_by_role("alert").filter(has_text="check digits do not match")).to_be_visible()


def test_a_viewer_downloads_a_receipt_and_a_statement(page, live_engine):
    with Session(live_engine) as db:
        payment = db.exec(select(Payment).order_by(Payment.id)).first()
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(f"/payments/{payment.id}")
    receipt = _download(page, "Download receipt")
    page.goto(f"/clients/{payment.client_id}")
    statement = _download(page, "Download statement PDF")

    assert "Payment receipt" in pdf_text(receipt)
    assert "Account statement" in pdf_text(statement) and "Closing balance" in pdf_text(statement)
