"""Document test data on the rolled-back `db`: a company with bank details, tax rates, a client
with a billing address, and invoices issued through the real services."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from billing_app.models.clients import Address, AddressKind, Client
from billing_app.models.company import Company, TaxRate, TaxRounding
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.settings import get_settings
from tests.support.factories import make_client

ISSUE_DATE = date(2033, 6, 1)  # a year no other test numbers invoices in
IBAN = "DE89370400440532013000"
_names = itertools.count(1)


def line(description="Consulting", quantity="2", unit_price="100.00", tax_rate_ids=(), **extra):
    return {"description": description, "quantity": quantity, "unit_price": unit_price,
            "tax_rate_ids": list(tax_rate_ids), **extra}


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Kept PDFs and logos go to a fresh folder."""
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path


@pytest.fixture
def company(db) -> Company:
    company = db.exec(select(Company).order_by(Company.id)).first() or Company(name="x")
    company.name = "Nordlicht Software GmbH"
    company.address_line1, company.postal_code, company.city, company.country = (
        "Hafenstraße 12", "20457", "Hamburg", "DE")
    company.tax_id = "DE123456789"
    company.invoice_number_pattern = "INV-{YYYY}-{SEQ:05}"
    company.credit_note_number_pattern = "CN-{YYYY}-{SEQ:05}"
    company.tax_rounding = TaxRounding.DOCUMENT
    company.prices_include_tax = False
    company.default_notes = company.default_terms = None
    company.iban, company.bic = IBAN, "COBADEFFXXX"
    company.payment_instructions = "Please pay within 14 days."
    company.document_layout, company.accent_color, company.document_language = (
        "classic", "#1f4e79", "en")
    company.locale = "en_US"
    db.add(company)
    db.flush()
    return company


@pytest.fixture
def vat(db) -> TaxRate:
    rate = TaxRate(name=f"VAT 19% #{next(_names)}", rate=Decimal("19"))
    db.add(rate)
    db.flush()
    return rate


def add_billing_address(db, client: Client, **fields) -> Address:
    address = Address(client_id=client.id, kind=AddressKind.BILLING,
                      **{"line1": "Main Street 1", "postal_code": "10115", "city": "Berlin",
                         "country": "DE", **fields})
    db.add(address)
    db.flush()
    return address


@pytest.fixture
def customer(db) -> Client:
    client = make_client(db, name=f"Harbor Logistics {next(_names)}")
    add_billing_address(db, client)
    return client


@pytest.fixture
def make_invoice(db, company, accountant, customer, vat):
    """make_invoice(*lines, client=..., issue=True): an invoice through the real services."""

    def make(*lines, client: Client | None = None, issue: bool = True, **extra):
        lines = lines or (line(tax_rate_ids=[vat.id]),)
        invoice = invoice_create_draft(db, actor=accountant, data={
            "client_id": (client or customer).id, "issue_date": ISSUE_DATE, "lines": list(lines),
            **extra})
        if issue:
            invoice = invoice_issue(db, actor=accountant, invoice_id=invoice.id, today=ISSUE_DATE)
        return invoice

    return make
