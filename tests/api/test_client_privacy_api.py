"""GDPR over HTTP: a client's data as a zip, and anonymising it, for admins only."""

import io
import json
import uuid
import zipfile

from billing_app.models.users import Role
from tests.api.conftest import assert_error

CLIENTS = "/api/v1/clients"


def _client(api, headers) -> dict:
    name = f"Privacy Test {uuid.uuid4().hex[:8]}"
    response = api.post(CLIENTS, headers=headers[Role.ACCOUNTANT], json={
        "name": name, "email": "privacy@example.com",
        "contacts": [{"name": "Petra Private", "email": "petra@example.com"}]})
    assert response.status_code == 201, response.text
    return response.json()


def test_an_admin_downloads_the_clients_data_as_a_zip(api, headers):
    client = _client(api, headers)
    response = api.get(f"{CLIENTS}/{client['id']}/export", headers=headers[Role.ADMIN])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("client.json"))
    assert data["client"]["name"] == client["name"]
    assert [c["name"] for c in data["contacts"]] == ["Petra Private"]


def test_anonymising_needs_the_typed_name_and_an_admin(api, headers):
    client = _client(api, headers)
    url = f"{CLIENTS}/{client['id']}/anonymise"
    for role in (Role.ACCOUNTANT, Role.VIEWER, Role.CLIENT):
        assert_error(api.get(f"{CLIENTS}/{client['id']}/export", headers=headers[role]), 403, "forbidden")
        assert_error(api.post(url, headers=headers[role], json={"confirm_name": client["name"]}),
                     403, "forbidden")
    assert_error(api.post(url, headers=headers[Role.ADMIN], json={"confirm_name": "someone else"}),
                 422, "validation_error", field="confirm_name")
    response = api.post(url, headers=headers[Role.ADMIN], json={"confirm_name": client["name"]})
    assert response.status_code == 200, response.text
    anonymised = response.json()
    assert anonymised["name"] == f"Anonymised client {client['id']}"
    assert anonymised["email"] is None
    assert [c["name"] for c in anonymised["contacts"]] == ["Anonymised contact 1"]


def test_anonymising_redacts_the_answers_kept_for_idempotent_retries(api, headers):
    key = uuid.uuid4().hex
    body = {"name": f"Kept Answer {key[:8]}", "email": f"kept-{key[:8]}@example.com",
            "notes": "Call \"Jörg\"\nafter five", "contacts": [{"name": "Jörg Kept-Answer"}]}
    created = api.post(CLIENTS, headers={**headers[Role.ACCOUNTANT], "Idempotency-Key": key}, json=body)
    assert created.status_code == 201, created.text
    client = created.json()

    response = api.post(f"{CLIENTS}/{client['id']}/anonymise", headers=headers[Role.ADMIN],
                        json={"confirm_name": body["name"]})
    assert response.status_code == 200, response.text

    retried = api.post(CLIENTS, headers={**headers[Role.ACCOUNTANT], "Idempotency-Key": key}, json=body)
    assert retried.status_code == 201 and retried.headers["Idempotent-Replayed"] == "true"
    again = retried.json()
    assert again["id"] == client["id"]  # still the one client: nothing was created twice
    for personal in (body["name"], body["email"], "Jörg", "after five"):
        assert personal not in retried.text
    assert again["name"] == again["email"] == again["notes"] == "[redacted]"
    assert again["contacts"][0]["name"] == "[redacted]"
