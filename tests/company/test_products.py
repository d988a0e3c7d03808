"""The product catalogue: prices fit their currency, SKUs are unique, the picker offers active ones."""

from decimal import Decimal

import pytest
from sqlmodel import func, select

from billing_app.errors import Conflict, ValidationFailed
from billing_app.models.catalog import Product
from billing_app.queries.catalog import product_choices, product_get, products_page
from billing_app.services.products import (
    product_activate,
    product_create,
    product_deactivate,
    product_update,
)
from billing_app.services.tax_rates import tax_rate_create, tax_rate_deactivate
from tests.company.conftest import audit_entries, unique


@pytest.fixture
def rate(db, admin):
    return tax_rate_create(db, actor=admin, data={"name": unique("Standard"), "rate": "19",
                                                  "is_default": True})


@pytest.fixture
def consulting(db, company, accountant, rate):
    return product_create(db, actor=accountant, data={
        "sku": unique("CONS").replace(" ", "-"), "name": unique("IT consulting"), "unit": "hour",
        "unit_price": "120.00", "default_tax_rate_id": rate.id,
        "description": "Architecture and code reviews",
    })


def product_count(db) -> int:
    return db.exec(select(func.count()).select_from(Product)).one()


def test_an_accountant_adds_a_product_in_the_company_currency(db, company, accountant, consulting):
    stored = product_get(db, actor=accountant, product_id=consulting.id)

    assert (stored.currency, stored.unit_price, stored.unit) == ("EUR", Decimal("120.00"), "hour")
    (entry,) = audit_entries(db, "product.create")
    assert entry.actor_user_id == accountant.id
    assert entry.details["unit_price"] == "120.00" and entry.details["currency"] == "EUR"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"unit_price": "9.999"}, "unit_price", "EUR prices have at most 2 decimals."),
    ({"unit_price": "100.5", "currency": "JPY"}, "unit_price", "JPY prices have at most 0 decimals."),
    ({"unit_price": "-1"}, "unit_price", "Enter 0 or more."),
    ({"unit_price": "1e13"}, "unit_price", "less than"),
    ({"currency": "EURO"}, "currency", "not a currency in use"),
    ({"name": " "}, "name", "required"),
    ({"unit": ""}, "unit", "required"),
    ({"default_tax_rate_id": 2_000_000_000}, "default_tax_rate_id", "Choose an active tax rate."),
])
def test_bad_input_names_the_field_and_adds_nothing(db, company, accountant, data, field, message):
    count = product_count(db)
    with pytest.raises(ValidationFailed) as refused:
        product_create(db, actor=accountant, data={"name": "Widget", "unit_price": "10", **data})

    assert refused.value.field == field and message in refused.value.message
    assert product_count(db) == count


def test_prices_in_a_currency_without_cents(db, company, accountant):
    product = product_create(db, actor=accountant, data={"name": "Ryokan night",
                                                         "unit_price": "12000", "currency": "jpy"})
    assert (product.currency, product.unit_price) == ("JPY", Decimal("12000"))


def test_an_inactive_tax_rate_cannot_be_chosen(db, company, admin, accountant, consulting, rate):
    old = tax_rate_create(db, actor=admin, data={"name": unique("Old 16%"), "rate": "16"})
    tax_rate_deactivate(db, actor=admin, tax_rate_id=old.id)

    with pytest.raises(ValidationFailed, match="Choose an active tax rate.") as refused:
        product_update(db, actor=accountant, product_id=consulting.id,
                       data={"default_tax_rate_id": old.id})
    assert refused.value.field == "default_tax_rate_id"
    db.refresh(consulting)
    assert consulting.default_tax_rate_id == rate.id


def test_skus_are_unique_ignoring_case_but_may_be_left_out(db, company, accountant, consulting):
    with pytest.raises(Conflict, match="A product with this SKU already exists.") as refused:
        product_create(db, actor=accountant, data={"sku": consulting.sku.lower(), "name": "Other",
                                                   "unit_price": "1"})
    assert refused.value.field == "sku"

    first = product_create(db, actor=accountant, data={"sku": " ", "name": "A", "unit_price": "1"})
    second = product_create(db, actor=accountant, data={"name": "B", "unit_price": "1"})
    assert first.sku is None and second.sku is None


def test_an_update_keeps_what_it_leaves_out_and_audits_the_change(db, company, admin, accountant,
                                                                   consulting, rate):
    product_update(db, actor=accountant, product_id=consulting.id, data={"unit_price": "125"})

    assert (consulting.unit_price, consulting.unit, consulting.default_tax_rate_id) == (
        Decimal("125"), "hour", rate.id)
    assert audit_entries(db, "product.update")[-1].details["changes"] == {
        "unit_price": {"from": "120", "to": "125"}}


def test_a_product_whose_rate_was_retired_can_still_be_edited(db, company, admin, accountant,
                                                              consulting, rate):
    other = tax_rate_create(db, actor=admin, data={"name": unique("Other"), "rate": "7",
                                                   "is_default": True})
    tax_rate_deactivate(db, actor=admin, tax_rate_id=rate.id)

    product_update(db, actor=accountant, product_id=consulting.id, data={"name": "Consulting"})
    (choice,) = product_choices(db, actor=accountant, search=consulting.sku)

    assert consulting.name == "Consulting"
    assert (choice.tax_rate_id, choice.tax_rate) == (None, None)  # the editor falls back to the default
    assert other.is_default


def test_the_picker_offers_active_products_with_their_rate(db, company, accountant, consulting, rate):
    (choice,) = product_choices(db, actor=accountant, search="code REVIEWS")
    assert (choice.id, choice.unit_price, choice.currency) == (consulting.id, Decimal("120.00"), "EUR")
    assert (choice.tax_rate_id, choice.tax_rate) == (rate.id, Decimal("19"))

    product_deactivate(db, actor=accountant, product_id=consulting.id)

    assert product_choices(db, actor=accountant, search=consulting.sku) == []
    rows, total = products_page(db, actor=accountant, search=consulting.sku)
    assert (rows, total) == ([], 0)
    rows, total = products_page(db, actor=accountant, search=consulting.sku, include_inactive=True)
    assert [row.product.id for row in rows] == [consulting.id] and rows[0].tax_rate_name == rate.name

    product_activate(db, actor=accountant, product_id=consulting.id)
    assert [c.id for c in product_choices(db, actor=accountant, search=consulting.sku)] == [consulting.id]


def test_pages_count_all_matches_and_search_is_literal(db, company, accountant):
    tag = unique("Cable").replace(" ", "")
    for n in range(5):
        product_create(db, actor=accountant, data={"name": f"{tag} {n} m", "unit_price": "9.99"})
    product_create(db, actor=accountant, data={"name": f"{tag} 100% copper", "unit_price": "19.99"})

    everything, total = products_page(db, actor=accountant, search=tag)
    page, page_total = products_page(db, actor=accountant, search=tag, offset=2, limit=2)
    assert total == page_total == 6 and page == everything[2:4]
    assert [c.name for c in product_choices(db, actor=accountant, search=f"{tag} %")] == [
        f"{tag} 100% copper"]
    assert len(product_choices(db, actor=accountant, search=tag, limit=3)) == 3
