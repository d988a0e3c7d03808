"""Invoice test data: the company, tax rates, users and clients, on the rolled-back `db`."""

import itertools
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlmodel import select

from billing_app.models.clients import Client
from billing_app.models.company import Company, TaxRate, TaxRounding
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from tests.support.factories import make_client

ISSUE_DATE = date(2031, 3, 3)  # a year no other test numbers invoices in
_names = itertools.count(1)


def line(description: str = "Consulting", quantity="1", unit_price="100.00", tax_rate_ids=(),
         **extra) -> dict:
    return {"description": description, "quantity": quantity, "unit_price": unit_price,
            "tax_rate_ids": list(tax_rate_ids), **extra}


def draft(client: Client, *lines: dict, issue_date: date = ISSUE_DATE, **extra) -> dict:
    return {"client_id": client.id, "issue_date": issue_date, "lines": list(lines), **extra}


@pytest.fixture
def company(db) -> Company:
    """The current company (made if the database has none), set up as these tests expect."""
    company = db.exec(select(Company).order_by(Company.id)).first() or Company(name="Test GmbH")
    company.invoice_number_pattern = "INV-{YYYY}-{SEQ:05}"
    company.credit_note_number_pattern = "CN-{YYYY}-{SEQ:05}"
    company.tax_rounding = TaxRounding.DOCUMENT
    company.prices_include_tax = False
    company.default_notes = "Thank you for your business."
    company.default_terms = "Payable by bank transfer."
    db.add(company)
    db.flush()
    return company


@pytest.fixture
def rates(db) -> SimpleNamespace:
    n = next(_names)
    made = SimpleNamespace(
        standard=TaxRate(name=f"Standard 19% #{n}", rate=Decimal("19")),
        reduced=TaxRate(name=f"Reduced 7% #{n}", rate=Decimal("7")),
        retired=TaxRate(name=f"Old 16% #{n}", rate=Decimal("16"), is_active=False),
    )
    db.add_all(vars(made).values())
    db.flush()
    return made


@pytest.fixture
def customer(db) -> Client:
    client = make_client(db, name=f"Harbor Logistics {next(_names)}")
    client.payment_terms_days = 14
    db.flush()
    return client


@pytest.fixture
def issued(db, company, accountant, customer):
    """issued(amount="100.00", client=..., issue_date=...): a sent invoice with one line."""

    def make(unit_price: str = "100.00", client: Client | None = None,
             issue_date: date = ISSUE_DATE, **extra):
        invoice = invoice_create_draft(db, actor=accountant, data=draft(
            client or customer, line(unit_price=unit_price), issue_date=issue_date, **extra))
        return invoice_issue(db, actor=accountant, invoice_id=invoice.id, today=issue_date)

    return make
