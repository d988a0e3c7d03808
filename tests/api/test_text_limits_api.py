"""Item 5 over HTTP: a 10,000-character client name is refused with a plain message; nothing is stored."""

from billing_app.models.users import Role
from tests.api.conftest import assert_error


def test_item_5_api_refuses_a_10000_character_client_name(api, headers):
    accountant = headers[Role.ACCOUNTANT]
    response = api.post("/api/v1/clients", headers=accountant, json={"name": "N" * 10_000})
    error = assert_error(response, 422, "validation_error", field="name")
    assert "at most 200 characters" in error["message"]
    listed = api.get("/api/v1/clients", headers=accountant, params={"search": "N" * 200}).json()
    assert listed["items"] == []
