"""WeasyPrint loads nothing it was not given: markup typed into a client name or an invoice
line prints as text, and the fetcher serves only the assets folder, the logo and data: URLs."""

import io
from urllib.parse import quote

import pypdf
import pytest
from PIL import Image

from billing_app.documents import invoice_pdf
from billing_app.documents.fetcher import ASSETS, DocumentFetcher, RefusedURL
from billing_app.services.logo import company_set_logo, logo_path
from tests.documents.conftest import line
from tests.support.documents import pdf_text

HOSTILE_NAME = '<img src="file:///etc/passwd">'
HOSTILE_LINE = 'See http://169.254.169.254/ <img src="http://169.254.169.254/latest/meta-data">'


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Every URL the renderer asks the fetcher for, while still fetching through it."""
    urls: list[str] = []
    fetch = DocumentFetcher.fetch

    def recording(self, url, headers=None):
        urls.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(DocumentFetcher, "fetch", recording)
    return urls


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 40), (10, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_markup_in_names_and_lines_prints_as_text_and_fetches_nothing(
        db, company, accountant, customer, vat, make_invoice, asked):
    customer.name = HOSTILE_NAME
    db.add(customer)
    invoice = make_invoice(line(HOSTILE_LINE, tax_rate_ids=[vat.id]))

    text = pdf_text(invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content)

    assert HOSTILE_NAME in text
    assert "See http://169.254.169.254/" in text and "latest/meta-data" in text
    assert not [url for url in asked if "passwd" in url or "169.254" in url]
    assert all(url.startswith("data:") for url in asked)  # only the payment code


def test_the_stored_logo_is_the_one_file_a_document_loads(
        db, company, admin, accountant, make_invoice, asked):
    company_set_logo(db, actor=admin, filename="logo.png", content=_png())
    invoice = make_invoice()

    content = invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content

    assert logo_path(company).as_uri() in asked
    first_page = pypdf.PdfReader(io.BytesIO(content)).pages[0]
    assert len(first_page.images) >= 1


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data",
    "https://example.com/logo.png",
    "ftp://example.com/x",
    f"file://{quote(str(ASSETS))}/../billing_app/settings.py",
    "file://evil.example.com/etc/passwd",
])
def test_the_fetcher_refuses_every_other_url(url):
    with pytest.raises(RefusedURL):
        DocumentFetcher().fetch(url)


def test_the_fetcher_serves_data_urls_assets_and_the_logo(db, company, admin):
    assert DocumentFetcher().fetch("data:text/plain,hello").read() == b"hello"
    assert DocumentFetcher().fetch((ASSETS / "favicon.ico").as_uri()).read()
    company_set_logo(db, actor=admin, filename="logo.png", content=_png())
    assert DocumentFetcher().fetch(logo_path(company).as_uri()).read() == _png()
