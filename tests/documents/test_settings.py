"""The document settings: layout, accent colour, language, bank details; and the live preview."""

import base64
import io
from datetime import date

import pytest
from PIL import Image

from billing_app.documents.labels import LABELS
from billing_app.documents.sample import first_page_png_data_url, sample_invoice_pdf
from billing_app.domain.bank_details import normalise_iban
from billing_app.domain.documents import LANGUAGES
from billing_app.errors import PermissionDenied, ValidationFailed
from billing_app.models.clients import ClientUpdate
from billing_app.services.company import company_update
from tests.support.documents import pdf_text, qr_payloads


def test_an_admin_sets_how_documents_look_and_how_clients_pay(db, company, admin):
    updated = company_update(db, actor=admin, data={
        "document_layout": "modern", "accent_color": " #0A7D4F ", "document_language": "de",
        "iban": "gb82 west 1234 5698 7654 32", "bic": "westgb2l",
        "payment_instructions": "Bitte innerhalb von 14 Tagen zahlen."})

    assert (updated.document_layout, updated.accent_color, updated.document_language) == (
        "modern", "#0a7d4f", "de")
    assert (updated.iban, updated.bic) == ("GB82WEST12345698765432", "WESTGB2L")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("iban", "DE89 3704 0044 0532 0130 01", "check digits do not match"),
    ("iban", "not an iban", "starts with a country code"),
    ("bic", "COBA DE", "8 or 11 letters"),
    ("accent_color", "red; background: url(http://x)", "six hex digits"),
    ("accent_color", "#12345", "six hex digits"),
    ("document_layout", "fancy", "Choose a layout"),
    ("document_language", "fr", "Choose a document language"),
])
def test_bad_settings_are_refused_with_the_field_named(db, company, admin, field, value, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        company_update(db, actor=admin, data={field: value})
    assert refused.value.field == field


def test_only_admins_change_them(db, company, accountant):
    with pytest.raises(PermissionDenied):
        company_update(db, actor=accountant, data={"document_layout": "modern"})


def test_iban_check_digits_follow_iso_13616():
    assert normalise_iban("NL91 ABNA 0417 1643 00") == "NL91ABNA0417164300"
    with pytest.raises(ValueError):
        normalise_iban("NL91 ABNA 0417 1643 01")


def test_a_client_may_choose_its_own_document_language():
    assert ClientUpdate(document_language="de").document_language == "de"
    assert ClientUpdate(document_language="").document_language is None
    with pytest.raises(ValueError, match="document language"):
        ClientUpdate(document_language="xx")


def test_every_language_has_every_label():
    assert set(LABELS) == set(LANGUAGES)
    english = set(LABELS["en"])
    assert all(set(words) == english for words in LABELS.values())


@pytest.mark.parametrize("layout", ["classic", "modern"])
def test_the_sample_invoice_follows_the_unsaved_look(company, layout):
    company.document_layout, company.accent_color, company.document_language = (
        layout, "#aa0000", "de")

    pdf = sample_invoice_pdf(company, date(2033, 6, 1))
    url = first_page_png_data_url(pdf)

    assert "Seite 1 von 1" in pdf_text(pdf) and "3.810,98 €" in pdf_text(pdf)
    assert len(qr_payloads(pdf)) == 1
    image = Image.open(io.BytesIO(base64.b64decode(url.removeprefix("data:image/png;base64,"))))
    assert image.format == "PNG" and image.width > 700
    assert (170, 0, 0) in {pixel[:3] for pixel in image.getdata()}  # the accent colour shows
