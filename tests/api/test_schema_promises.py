"""The OpenAPI schema states the rules the API enforces, so a client generated from it sends
valid requests: decimal strings, codes from a list, text that is not blank, sort keys, dates."""

import re

import pytest

from billing_app.api.app import create_api
from billing_app.models.inputs import currencies


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_api().openapi()


def _property(spec: dict, component: str, name: str) -> dict:
    schema = spec["components"]["schemas"][component]["properties"][name]
    return next((part for part in schema.get("anyOf", []) if part.get("type") == "string"), schema)


def _parameter(spec: dict, path: str, name: str) -> dict:
    parameters = spec["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name)


@pytest.mark.parametrize("component, name", [
    ("PaymentBody", "amount"), ("AllocationBody", "amount"), ("InvoiceLineBody", "unit_price"),
    ("InvoiceLineBody", "quantity"), ("ClientCreateBody", "credit_limit"), ("RefundBody", "amount"),
])
def test_amounts_are_decimal_strings_with_a_pattern(spec, component, name):
    schema = _property(spec, component, name)
    assert schema["type"] == "string"
    pattern = re.compile(schema["pattern"])
    assert pattern.search("12.50") and pattern.search("1000")
    assert not any(pattern.search(bad) for bad in ("12,5", "1e3", "abc", "", "NaN"))


def test_codes_come_from_their_lists(spec):
    currency = _property(spec, "ClientCreateBody", "currency")
    assert set(currency["enum"]) == currencies() and "XXX" not in currency["enum"]
    company = spec["components"]["schemas"]["CompanyUpdatePatch"]["properties"]
    assert company["document_layout"]["enum"] == ["classic", "modern"]
    assert re.fullmatch(company["accent_color"]["pattern"], "#1f4e79")
    assert "de_DE" in company["locale"]["enum"] and "xx_YY" not in company["locale"]["enum"]
    assert "DE" in _property(spec, "AddressBody", "country")["enum"]


def test_required_text_may_not_be_blank(spec):
    for component, name in [("ClientCreateBody", "name"), ("CancelBody", "reason"),
                            ("ReasonBody", "reason"), ("ContactIn", "name")]:
        assert _property(spec, component, name)["pattern"] == r"\S", (component, name)


def test_query_parameters_state_their_choices(spec):
    assert "-outstanding" in _parameter(spec, "/api/v1/clients", "sort")["enum"]
    assert "-due_date" in _parameter(spec, "/api/v1/invoices", "sort")["enum"]
    assert _parameter(spec, "/api/v1/reports/aging", "basis")["enum"] == ["due_date", "issue_date"]
    assert _parameter(spec, "/api/v1/reports/aging", "as_of")["format"] == "date"
    months = re.compile(_parameter(spec, "/api/v1/reports/dso", "months")["pattern"])
    assert months.search("60") and not months.search("61") and not months.search("0")
