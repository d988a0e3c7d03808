"""Company settings: who may change them, what a change records, and what bad input is told."""

from datetime import date

import pytest
from sqlmodel import delete

from billing_app.errors import BillingError, ValidationFailed
from billing_app.models.company import Company, TaxRounding
from billing_app.queries.company import company_ensure, company_settings, current_company
from billing_app.services.company import company_update, number_preview
from tests.company.conftest import audit_count, audit_entries


def snapshot(company: Company) -> dict:
    return {name: getattr(company, name) for name in Company.__table__.columns.keys()}


def test_first_start_creates_one_default_company(db):
    db.exec(delete(Company))  # rolled back with the test
    with pytest.raises(BillingError, match="not set up yet"):
        current_company(db)

    created = company_ensure(db)
    again = company_ensure(db)

    assert again.id == created.id
    assert current_company(db).id == created.id
    assert (created.name, created.default_currency, created.default_payment_terms_days) == (
        "My company", "EUR", 30)
    assert number_preview(created.invoice_number_pattern, date(2026, 3, 5)) == "INV-2026-00001"


def test_admin_changes_settings_and_the_audit_keeps_old_and_new(db, company, admin):
    updated = company_update(db, actor=admin, data={
        "name": "Acme Tools AG", "default_currency": "chf", "default_payment_terms_days": 14,
        "tax_rounding": "line", "locale": "de-CH", "country": "ch", "city": "  Zürich ",
    })

    db.expire_all()
    stored = company_settings(db, actor=admin)
    assert stored.id == updated.id
    assert (stored.name, stored.default_currency, stored.default_payment_terms_days) == (
        "Acme Tools AG", "CHF", 14)
    assert (stored.tax_rounding, stored.locale, stored.country, stored.city) == (
        TaxRounding.LINE, "de_CH", "CH", "Zürich")
    assert stored.tax_id == "DE123456789"  # fields left out keep their value
    (entry,) = audit_entries(db, "company.update")[-1:]
    assert entry.actor_user_id == admin.id
    assert entry.details["changes"] == {
        "name": {"from": "Acme Tools GmbH", "to": "Acme Tools AG"},
        "default_currency": {"from": "EUR", "to": "CHF"},
        "default_payment_terms_days": {"from": 30, "to": 14},
        "tax_rounding": {"from": "document", "to": "line"},
        "locale": {"from": "en_US", "to": "de_CH"},
        "country": {"from": "DE", "to": "CH"},
        "city": {"from": "Berlin", "to": "Zürich"},
    }


def test_blank_optional_fields_are_cleared_and_an_unchanged_form_writes_nothing(db, company, admin):
    company_update(db, actor=admin, data={"phone": "   ", "email": ""})
    assert (company.phone, company.email) == (None, None)

    before = audit_count(db)
    company_update(db, actor=admin, data={"name": company.name, "default_currency": "eur"})
    assert audit_count(db) == before


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "  ", "required"),
    ("default_currency", "EURO", "not a currency in use"),
    ("default_currency", "DEM", "not a currency in use"),
    ("invoice_number_pattern", "INV-{YYYY}", "exactly one {SEQ}"),
    ("invoice_number_pattern", "INV-{SEQ}-{SEQ}", "exactly one {SEQ}"),
    ("invoice_number_pattern", "INV-{YEAR}-{SEQ}", "Unknown placeholder {YEAR}"),
    ("invoice_number_pattern", "INV-{yyyy}-{SEQ}", "Unknown placeholder"),
    ("invoice_number_pattern", "INV-{MM}-{SEQ}", "also needs {YYYY}"),
    ("invoice_number_pattern", "INVOICE-NUMBER-OF-ACME-TOOLS-GMBH-HAMBURG-{YYYY}-{SEQ:09}", "longer than 50"),
    ("credit_note_number_pattern", "INV-{YYYY}-{SEQ:05}", "differs from the invoices"),
    ("credit_note_number_pattern", "INV-{YYYY}-{SEQ}", "differs from the invoices"),
    ("default_payment_terms_days", -1, "Enter 0 or more."),
    ("default_payment_terms_days", 366, "Enter 365 or less."),
    ("email", "billing.acme.example", "Enter an email address"),
    ("country", "XX", "two-letter ISO code"),
    ("country", "EU", "two-letter ISO code"),
    ("locale", "xx_YY", "not a known locale"),
    ("tax_rounding", "sometimes", "document"),
    ("logo_path", "/etc/passwd", "not known here"),
])
def test_bad_input_names_the_field_and_changes_nothing(db, company, admin, field, value, message):
    before, audits = snapshot(company), audit_count(db)

    with pytest.raises(ValidationFailed) as refused:
        company_update(db, actor=admin, data={"name": "Renamed", field: value})

    assert refused.value.field == field
    assert message in refused.value.message
    db.expire_all()
    assert snapshot(current_company(db)) == before
    assert audit_count(db) == audits


@pytest.mark.parametrize(("pattern", "expected"), [
    ("INV-{YYYY}-{SEQ:05}", "INV-2026-00001"),
    ("{YY}{MM}-{SEQ:3}", "2603-001"),
    ("R{SEQ}", "R1"),
])
def test_number_preview_shows_the_first_number_of_the_period(pattern, expected):
    assert number_preview(pattern, date(2026, 3, 5)) == expected


def test_number_preview_explains_a_bad_pattern():
    with pytest.raises(ValidationFailed, match="Unknown placeholder"):
        number_preview("INV-{SEQ}-{Year}", date(2026, 3, 5))
