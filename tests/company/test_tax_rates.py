"""Tax rates: unique names, exactly one default, and percentages fixed once invoices use them."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select, update

from billing_app.errors import Conflict, NotFound, ValidationFailed
from billing_app.models.company import TaxRate
from billing_app.models.invoices import Invoice, InvoiceLine, InvoiceLineTax
from billing_app.queries.catalog import tax_rates_list
from billing_app.services.tax_rates import (
    tax_rate_activate,
    tax_rate_create,
    tax_rate_deactivate,
    tax_rate_update,
)
from tests.company.conftest import audit_entries, unique
from tests.support.factories import make_client


def defaults(db) -> list[int]:
    return list(db.exec(select(TaxRate.id).where(TaxRate.is_default)))


@pytest.fixture
def standard(db, admin):
    """The default rate."""
    return tax_rate_create(db, actor=admin, data={"name": unique("Standard"), "rate": "19",
                                                  "is_default": True})


@pytest.fixture
def reduced(db, admin, standard):
    return tax_rate_create(db, actor=admin, data={"name": unique("Reduced"), "rate": "7"})


def test_the_first_rate_becomes_the_default(db, admin):
    db.exec(update(TaxRate).values(is_default=False))  # rolled back with the test

    first = tax_rate_create(db, actor=admin, data={"name": unique("First"), "rate": "10"})
    second = tax_rate_create(db, actor=admin, data={"name": unique("Second"), "rate": "5"})

    assert defaults(db) == [first.id]
    assert not second.is_default


def test_a_new_default_takes_over_from_the_old_one(db, admin, standard, reduced):
    tax_rate_update(db, actor=admin, tax_rate_id=reduced.id, data={"is_default": True})

    assert defaults(db) == [reduced.id]
    entry = audit_entries(db, "tax_rate.update")[-1]
    assert entry.details["previous_default_id"] == standard.id
    assert entry.details["changes"] == {"is_default": {"from": False, "to": True}}
    assert tax_rates_list(db, actor=admin)[0].id == reduced.id


def test_the_default_cannot_be_unset_or_deactivated(db, admin, standard):
    with pytest.raises(Conflict, match="always one default") as refused:
        tax_rate_update(db, actor=admin, tax_rate_id=standard.id, data={"is_default": False})
    assert refused.value.field == "is_default"
    with pytest.raises(Conflict, match="Make another rate the default"):
        tax_rate_deactivate(db, actor=admin, tax_rate_id=standard.id)

    db.refresh(standard)
    assert standard.is_default and standard.is_active


def test_the_database_refuses_a_second_default(db, standard):
    db.add(TaxRate(name=unique("Sneaky"), rate=Decimal("1"), is_default=True))
    with pytest.raises(IntegrityError):
        db.flush()


@pytest.mark.parametrize("spelling", [str.lower, str.upper, lambda name: f"  {name} "])
def test_names_are_unique_ignoring_case(db, admin, standard, spelling):
    taken = unique("Same")
    tax_rate_create(db, actor=admin, data={"name": taken, "rate": "5"})

    with pytest.raises(Conflict, match="A tax rate with this name already exists.") as refused:
        tax_rate_create(db, actor=admin, data={"name": spelling(taken), "rate": "6"})
    assert refused.value.field == "name"
    with pytest.raises(Conflict):
        tax_rate_update(db, actor=admin, tax_rate_id=standard.id, data={"name": spelling(taken)})


@pytest.mark.parametrize(("rate", "message"), [
    ("-1", "Enter 0 or more."),
    ("100.01", "Enter 100 or less."),
    ("7.12345", "at most 4 decimals"),
    ("seven", "Enter a number"),
    ("NaN", "Enter a number"),
])
def test_a_bad_percentage_is_refused(db, admin, standard, rate, message):
    count = db.exec(select(func.count()).select_from(TaxRate)).one()
    with pytest.raises(ValidationFailed, match=message) as refused:
        tax_rate_create(db, actor=admin, data={"name": unique("Bad"), "rate": rate})
    assert refused.value.field == "rate"
    assert db.exec(select(func.count()).select_from(TaxRate)).one() == count


def test_percentages_with_four_decimals_and_trailing_zeros_are_fine(db, admin, standard):
    rate = tax_rate_create(db, actor=admin, data={"name": unique("Swiss"), "rate": "7.70000"})
    db.expire_all()
    assert db.get(TaxRate, rate.id).rate == Decimal("7.7")
    rate = tax_rate_update(db, actor=admin, tax_rate_id=rate.id, data={"rate": "8.1234"})
    assert rate.rate == Decimal("8.1234")


def put_on_an_invoice(db, company, rate: TaxRate) -> None:
    invoice = Invoice(company_id=company.id, client_id=make_client(db).id,
                      issue_date=date(2026, 3, 2), due_date=date(2026, 4, 1))
    db.add(invoice)
    db.flush()
    line = InvoiceLine(invoice_id=invoice.id, description="Work", quantity=Decimal(1),
                       unit_price=Decimal(100))
    db.add(line)
    db.flush()
    db.add(InvoiceLineTax(line_id=line.id, tax_rate_id=rate.id, rate=rate.rate))
    db.flush()


def test_a_rate_on_invoices_keeps_its_percentage_but_may_be_renamed(db, company, admin, reduced):
    put_on_an_invoice(db, company, reduced)

    with pytest.raises(Conflict, match="Create a new rate") as refused:
        tax_rate_update(db, actor=admin, tax_rate_id=reduced.id, data={"rate": "8"})
    assert refused.value.field == "rate"
    db.refresh(reduced)
    assert reduced.rate == Decimal("7")

    new_name = unique("Reduced (books)")
    tax_rate_update(db, actor=admin, tax_rate_id=reduced.id, data={"name": new_name, "rate": "7.0"})
    assert (reduced.name, reduced.rate) == (new_name, Decimal("7"))


def test_an_unused_rate_may_change_its_percentage(db, admin, reduced):
    db.expire_all()
    tax_rate_update(db, actor=admin, tax_rate_id=reduced.id, data={"rate": "5.50"})

    assert audit_entries(db, "tax_rate.update")[-1].details["changes"] == {
        "rate": {"from": "7", "to": "5.5"}}


def test_deactivated_rates_leave_the_list_and_may_come_back(db, admin, reduced):
    tax_rate_deactivate(db, actor=admin, tax_rate_id=reduced.id)

    assert reduced.id not in [r.id for r in tax_rates_list(db, actor=admin)]
    assert reduced.id in [r.id for r in tax_rates_list(db, actor=admin, include_inactive=True)]
    with pytest.raises(Conflict, match="Activate this rate"):
        tax_rate_update(db, actor=admin, tax_rate_id=reduced.id, data={"is_default": True})

    tax_rate_activate(db, actor=admin, tax_rate_id=reduced.id)

    assert reduced.id in [r.id for r in tax_rates_list(db, actor=admin)]
    assert [e.entity_id for e in audit_entries(db, "tax_rate.deactivate")] == [str(reduced.id)]
    assert [e.entity_id for e in audit_entries(db, "tax_rate.activate")] == [str(reduced.id)]


def test_an_unknown_rate_is_not_found(db, admin):
    with pytest.raises(NotFound):
        tax_rate_update(db, actor=admin, tax_rate_id=2_000_000_000, data={"name": "X"})
