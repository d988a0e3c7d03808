"""The company as anyone sees it without signing in."""

from billing_app.queries.company import company_public


def test_the_public_view_shows_name_and_address_but_no_contact_or_tax_details(db, company):
    public = company_public(db)

    assert public.model_dump() == {
        "name": "Acme Tools GmbH", "address_line1": "Hauptstraße 1", "address_line2": None,
        "postal_code": "10115", "city": "Berlin", "country": "DE", "logo_url": None,
    }
    shown = public.model_dump_json()
    for secret in (company.tax_id, company.email, company.phone, company.invoice_footer):
        assert secret not in shown
