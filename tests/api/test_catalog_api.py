"""/products and /tax-rates over HTTP: the catalogue, its bad input and who may change it."""

import uuid

import pytest

from billing_app.models.users import Role
from tests.api.conftest import assert_error

PRODUCTS = "/api/v1/products"
TAX_RATES = "/api/v1/tax-rates"
AMOUNT_AS_TEXT = "Send amounts as strings"


def create_tax_rate(api, headers, rate: str, **extra) -> dict:
    """A new active rate with a unique name (never made the default unless asked)."""
    body = {"name": f"VAT {rate}% {uuid.uuid4().hex[:8]}", "rate": rate, **extra}
    response = api.post(TAX_RATES, headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def product_body(**changes) -> dict:
    body = {"sku": f"SKU-{uuid.uuid4().hex[:10]}", "name": f"Widget {uuid.uuid4().hex[:6]}",
            "unit": "piece", "unit_price": "12.5", "currency": "EUR"}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.fixture
def admin(headers):
    return headers[Role.ADMIN]


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


def test_tax_rates_are_created_listed_changed_and_retired(api, admin, headers):
    create_tax_rate(api, admin, "19", is_default=True)  # the first rate would be the default
    rate = create_tax_rate(api, admin, "7.70", description="Reduced")
    assert (rate["rate"], rate["description"], rate["is_active"]) == ("7.7", "Reduced", True)
    url = f"{TAX_RATES}/{rate['id']}"
    assert api.get(url, headers=headers[Role.VIEWER]).json() == rate

    renamed = api.patch(url, headers=admin, json={"name": rate["name"] + " new", "rate": "8"})
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["rate"]) == (rate["name"] + " new", "8")

    listed = api.get(TAX_RATES, headers=headers[Role.ACCOUNTANT]).json()
    assert listed[0]["is_default"] is True and rate["id"] in [r["id"] for r in listed]

    off = api.post(f"{url}/deactivate", headers=admin)
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert rate["id"] not in [r["id"] for r in api.get(TAX_RATES, headers=admin).json()]
    everything = api.get(TAX_RATES, headers=admin, params={"include_inactive": True}).json()
    assert rate["id"] in [r["id"] for r in everything]
    on = api.post(f"{url}/activate", headers=admin)
    assert on.status_code == 200 and on.json()["is_active"] is True


def test_the_default_rate_moves_and_cannot_be_retired(api, admin):
    new_default = create_tax_rate(api, admin, "21", is_default=True)
    assert new_default["is_default"] is True
    listed = api.get(TAX_RATES, headers=admin).json()
    assert [r["id"] for r in listed if r["is_default"]] == [new_default["id"]]
    assert_error(api.post(f"{TAX_RATES}/{new_default['id']}/deactivate", headers=admin), 409,
                 "conflict")


def test_products_are_created_found_changed_and_retired(api, accountant, admin, headers):
    rate = create_tax_rate(api, admin, "19")
    body = product_body(default_tax_rate_id=rate["id"], description="A blue widget")
    created = api.post(PRODUCTS, headers=accountant, json=body)
    assert created.status_code == 201, created.text
    product = created.json()
    assert (product["unit_price"], product["currency"], product["is_active"]) == (
        "12.50", "EUR", True)
    assert product["default_tax_rate_id"] == rate["id"]
    url = f"{PRODUCTS}/{product['id']}"
    assert api.get(url, headers=headers[Role.VIEWER]).json() == product

    found = api.get(PRODUCTS, headers=accountant, params={"search": f"blue {body['sku']}"})
    assert found.status_code == 200, found.text
    assert found.json()["total"] == 1
    assert found.json()["items"][0] == {**product, "tax_rate_name": rate["name"]}

    changed = api.patch(url, headers=accountant, json={"unit_price": "0.1234"})
    assert changed.status_code == 422  # EUR prices have at most 2 decimals
    changed = api.patch(url, headers=accountant, json={"unit_price": "13"})
    assert changed.status_code == 200 and changed.json()["unit_price"] == "13.00"
    assert changed.json()["name"] == body["name"]

    assert api.post(f"{url}/deactivate", headers=accountant).json()["is_active"] is False
    active = api.get(PRODUCTS, headers=accountant, params={"search": body["sku"]}).json()
    assert active["total"] == 0
    hidden = api.get(PRODUCTS, headers=accountant,
                     params={"search": body["sku"], "include_inactive": True}).json()
    assert hidden["total"] == 1
    assert api.post(f"{url}/activate", headers=accountant).json()["is_active"] is True


def test_a_product_without_currency_takes_the_companys(api, accountant, admin):
    company = api.get("/api/v1/company", headers=admin).json()
    created = api.post(PRODUCTS, headers=accountant, json=product_body(currency=...))
    assert created.status_code == 201, created.text
    assert created.json()["currency"] == company["default_currency"]


def test_a_taken_sku_is_a_conflict(api, accountant):
    body = product_body()
    assert api.post(PRODUCTS, headers=accountant, json=body).status_code == 201
    again = api.post(PRODUCTS, headers=accountant, json=product_body(sku=body["sku"].lower()))
    assert_error(again, 409, "conflict", "sku")


@pytest.mark.parametrize("changes,field,message", [
    ({"unit_price": 12.5}, "unit_price", AMOUNT_AS_TEXT),
    ({"unit_price": 12}, "unit_price", AMOUNT_AS_TEXT),
    ({"unit_price": "abc"}, "unit_price", None),
    ({"unit_price": "-1"}, "unit_price", None),
    ({"unit_price": "NaN"}, "unit_price", None),
    ({"unit_price": ...}, "unit_price", None),
    ({"name": ...}, "name", None),
    ({"currency": "EURO"}, "currency", None),
    ({"default_tax_rate_id": 999999}, "default_tax_rate_id", "active tax rate"),
    ({"default_tax_rate_id": 2**31}, "default_tax_rate_id", None),
    ({"price": "1.00"}, "price", None),
])
def test_bad_product_input_is_a_readable_422(api, accountant, changes, field, message):
    response = api.post(PRODUCTS, headers=accountant, json=product_body(**changes))
    error = assert_error(response, 422, "validation_error", field)
    if message:
        assert message in error["message"]


@pytest.mark.parametrize("body,status,code,field", [
    ({"name": "Rate as number", "rate": 19}, 422, "validation_error", "rate"),
    ({"name": "Rate as float", "rate": 7.7}, 422, "validation_error", "rate"),
    ({"name": "Rate as text", "rate": "abc"}, 422, "validation_error", "rate"),
    ({"name": "Over a hundred", "rate": "100.5"}, 422, "validation_error", "rate"),
    ({"name": "Negative", "rate": "-1"}, 422, "validation_error", "rate"),
    ({"name": "Too precise", "rate": "7.12345"}, 422, "validation_error", None),
    ({"rate": "5"}, 422, "validation_error", "name"),
    ({"name": "No rate"}, 422, "validation_error", "rate"),
])
def test_bad_tax_rate_input_gets_the_error_format(api, admin, body, status, code, field):
    assert_error(api.post(TAX_RATES, headers=admin, json=body), status, code, field)


@pytest.mark.parametrize("method,path,body,status,code,field", [
    ("GET", f"{PRODUCTS}/999999", None, 404, "not_found", None),
    ("GET", f"{PRODUCTS}/{2**31}", None, 422, "validation_error", "product_id"),
    ("PATCH", f"{PRODUCTS}/999999", {"name": "X"}, 404, "not_found", None),
    ("PATCH", f"{PRODUCTS}/1", {"unit_price": 3}, 422, "validation_error", "unit_price"),
    ("POST", f"{PRODUCTS}/999999/deactivate", None, 404, "not_found", None),
    ("GET", f"{PRODUCTS}?limit=500", None, 422, "validation_error", "limit"),
    ("GET", f"{PRODUCTS}?search=%00", None, 422, "validation_error", "search"),
    ("GET", f"{TAX_RATES}/999999", None, 404, "not_found", None),
    ("PATCH", f"{TAX_RATES}/999999", {"name": "X"}, 404, "not_found", None),
    ("PATCH", f"{TAX_RATES}/abc", {"name": "X"}, 422, "validation_error", "tax_rate_id"),
    ("POST", f"{TAX_RATES}/{10**12}/activate", None, 422, "validation_error", "tax_rate_id"),
])
def test_bad_catalogue_requests_get_the_error_format(api, admin, method, path, body, status,
                                                     code, field):
    assert_error(api.request(method, path, headers=admin, json=body), status, code, field)


TAX_RATE_WRITES = [
    ("POST", TAX_RATES, {"name": "X", "rate": "5"}),
    ("PATCH", f"{TAX_RATES}/1", {"name": "X"}),
    ("POST", f"{TAX_RATES}/1/deactivate", None),
    ("POST", f"{TAX_RATES}/1/activate", None),
]
PRODUCT_WRITES = [
    ("POST", PRODUCTS, product_body()),
    ("PATCH", f"{PRODUCTS}/1", {"name": "X"}),
    ("POST", f"{PRODUCTS}/1/deactivate", None),
    ("POST", f"{PRODUCTS}/1/activate", None),
]


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.VIEWER, Role.CLIENT])
@pytest.mark.parametrize("method,path,body", TAX_RATE_WRITES)
def test_only_admins_change_tax_rates(api, headers, role, method, path, body):
    assert_error(api.request(method, path, headers=headers[role], json=body), 403, "forbidden")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLIENT])
@pytest.mark.parametrize("method,path,body", PRODUCT_WRITES)
def test_viewers_and_client_accounts_cannot_change_products(api, headers, role, method, path,
                                                            body):
    assert_error(api.request(method, path, headers=headers[role], json=body), 403, "forbidden")


@pytest.mark.parametrize("path", [PRODUCTS, TAX_RATES])
def test_client_accounts_do_not_read_the_catalogue(api, headers, path):
    assert api.get(path, headers=headers[Role.VIEWER]).status_code == 200
    assert_error(api.get(path, headers=headers[Role.CLIENT]), 403, "forbidden")
    assert_error(api.get(path), 401, "not_authenticated")
