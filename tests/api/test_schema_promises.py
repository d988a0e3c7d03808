"""The OpenAPI schema states the rules the API enforces, so a client generated from it sends
valid requests: decimal strings, codes from a list, text that is not blank, sort keys, dates;
rules between fields as if/then, and in words what JSON Schema cannot say."""

import re

import pytest
from jsonschema import Draft202012Validator

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


def _allows(spec: dict, component: str, body: dict) -> bool:
    """Whether the schema of the component lets the body through (with its rules between fields)."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    return Draft202012Validator(schema).is_valid(body)


_USER = {"email": "ann@example.com", "name": "Ann", "password": "a long password"}
_LINE = {"description": "Work", "quantity": "2", "unit_price": "10.00"}


@pytest.mark.parametrize("component, body, allowed", [
    ("UserCreateRequest", {**_USER, "role": "client"}, False),
    ("UserCreateRequest", {**_USER, "role": "client", "client_id": None}, False),
    ("UserCreateRequest", {**_USER, "role": "client", "client_id": 7}, True),
    ("UserCreateRequest", {**_USER, "role": "viewer"}, True),
    ("PasswordReset", {"password": "short"}, False),
    ("TaxRateBody", {"name": "VAT", "rate": "100.5"}, False),
    ("TaxRateBody", {"name": "VAT", "rate": "100"}, True),
    ("PaymentBody", {"client_id": 1, "payment_date": "2026-01-31", "amount": "0.00"}, False),
    ("PaymentBody", {"client_id": 1, "payment_date": "2026-01-31", "amount": "0.01"}, True),
    ("RefundBody", {"amount": "0", "reason": "Overpaid"}, False),
    ("InvoiceLineBody", {**_LINE, "quantity": "0"}, False),
    ("InvoiceLineBody", {**_LINE, "quantity": "123456789012345"}, False),
    ("InvoiceLineBody", {**_LINE, "discount_value": "5"}, False),
    ("InvoiceLineBody", {**_LINE, "discount_value": "0"}, True),
    ("InvoiceLineBody", {**_LINE, "discount_type": "percent", "discount_value": "150"}, False),
    ("InvoiceLineBody", {**_LINE, "discount_type": "amount", "discount_value": "15"}, True),
    ("InvoiceLineBody", {**_LINE, "tax_rate_ids": [1, 1]}, False),
    ("InvoiceDraftBody", {"client_id": 1, "issue_date": "2026-01-31", "discount_value": "5"}, False),
    ("CreditNoteBody", {"reason": "Returned"}, False),
    ("CreditNoteBody", {"reason": "Returned", "amount": "5", "lines": [
        {"invoice_line_id": 1, "quantity": "1"}]}, False),
    ("CreditNoteBody", {"reason": "Returned", "lines": []}, False),
    ("CreditNoteBody", {"reason": "Returned", "lines": [{"invoice_line_id": 1, "quantity": 1}]}, False),
    ("CreditNoteBody", {"reason": "Returned", "lines": [{"invoice_line_id": 1, "quantity": "1"}]}, True),
    ("CreditNoteBody", {"reason": "Returned", "amount": "5"}, True),
    ("AllocateBody", {}, False),
    ("AllocateBody", {"allocations": []}, False),
    ("AllocateBody", {"auto": True}, True),
    ("ReminderLevelBody", {"days": 400, "name": "Late"}, False),
    ("ReminderLevelBody", {"days": 7, "name": " "}, False),
    ("ReminderLevelBody", {"days": 7, "name": "Late", "template_key": "letter"}, False),
    ("ReminderLevelBody", {"days": 7, "name": "Late", "fee_kind": "fixed"}, False),
    ("ReminderLevelBody", {"days": 7, "name": "Late", "fee_value": "5"}, False),
    ("ReminderLevelBody", {"days": 7, "name": "Late", "fee_kind": "percent", "fee_value": "150"}, False),
    ("ReminderLevelBody", {"days": 7, "name": "Late", "template_key": "reminder:final",
                           "fee_kind": "fixed", "fee_value": "150"}, True),
    ("PauseBody", {"reason": " "}, False),
    ("ClientCreateBody", {"name": "Acme", "payment_terms_days": 400}, False),
    ("ClientPatch", {"document_language": "fr"}, False),
    ("ClientPatch", {"document_language": "de", "payment_terms_days": 365}, True),
    ("ProductBody", {"name": "Hour", "unit_price": "1000000000000"}, False),
    ("ProductBody", {"name": "Hour", "unit_price": "999999999999.99"}, True),
    ("CompanyUpdatePatch", {"bic": "COBADE"}, False),
    ("CompanyUpdatePatch", {"bic": "COBADEFFXXX"}, True),
])
def test_rules_between_and_within_fields_are_in_the_schema(spec, component, body, allowed):
    assert _allows(spec, component, body) is allowed


def _description(spec: dict, component: str, name: str) -> str:
    return spec["components"]["schemas"][component]["properties"][name].get("description", "")


def test_rules_json_schema_cannot_state_are_in_words(spec):
    for component, name in [("ProductBody", "unit_price"), ("PaymentBody", "amount"),
                            ("ClientCreateBody", "credit_limit"), ("InvoiceLineBody", "unit_price"),
                            ("RefundBody", "amount"), ("AllocationBody", "amount")]:
        assert "0 for JPY" in _description(spec, component, name), (component, name)
    assert "invoice_number_pattern" in _description(spec, "CompanyUpdatePatch",
                                                    "credit_note_number_pattern")
    assert "increasing" in _parameter(spec, "/api/v1/reports/aging", "buckets")["description"]
    for path in ("/api/v1/reports/revenue", "/api/v1/reports/tax"):
        assert "on or after start" in _parameter(spec, path, "end")["description"]
        assert "ten years" in _parameter(spec, path, "start")["description"]
    assert "date_from" in _parameter(spec, "/api/v1/clients/{client_id}/statement.pdf",
                                     "date_to")["description"]
    assert "on or after the issue date" in spec["components"]["schemas"]["InvoiceDraftBody"]["description"]
    assert ".test" in _description(spec, "SendBody", "recipients")
    assert ".test" in _description(spec, "UserCreateRequest", "email")


def test_uploads_state_the_fields_they_take(spec):
    for path, method in [("/api/v1/company/logo", "put"), ("/api/v1/bank/statements", "post"),
                         ("/api/v1/bank/statements/preview", "post")]:
        body = spec["paths"][path][method]["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert body["additionalProperties"] is False, path
