"""A retried create with the same Idempotency-Key makes one record and gets the first answer."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from billing_app.models.users import Role
from tests.api.conftest import assert_error

CLIENTS = "/api/v1/clients"


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


def _body() -> dict:
    return {"name": f"Retry Ltd {uuid.uuid4().hex[:8]}", "kind": "company"}


def _named(api, headers, name: str) -> list[dict]:
    return api.get(CLIENTS, headers=headers, params={"search": name}).json()["items"]


def test_a_retried_create_makes_one_client_and_answers_as_the_first_time(api, accountant):
    body, key = _body(), str(uuid.uuid4())
    first = api.post(CLIENTS, headers={**accountant, "Idempotency-Key": key}, json=body)
    again = api.post(CLIENTS, headers={**accountant, "Idempotency-Key": key}, json=body)

    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(_named(api, accountant, body["name"])) == 1


def test_without_a_key_each_request_creates(api, accountant):
    body = _body()
    for _ in range(2):  # allow_duplicate: else the second is refused as a possible duplicate
        assert api.post(CLIENTS, headers=accountant, json=body,
                        params={"allow_duplicate": "true"}).status_code == 201
    assert len(_named(api, accountant, body["name"])) == 2


def test_a_key_used_for_another_request_is_refused(api, accountant):
    key = str(uuid.uuid4())
    assert api.post(CLIENTS, headers={**accountant, "Idempotency-Key": key},
                    json=_body()).status_code == 201
    other = _body()
    assert_error(api.post(CLIENTS, headers={**accountant, "Idempotency-Key": key}, json=other),
                 422, "validation_error", "Idempotency-Key")
    assert _named(api, accountant, other["name"]) == []


def test_keys_belong_to_their_user(api, accountant, headers):
    body, key = _body(), str(uuid.uuid4())
    assert api.post(CLIENTS, headers={**accountant, "Idempotency-Key": key}, json=body).status_code == 201
    admin = api.post(CLIENTS, headers={**headers[Role.ADMIN], "Idempotency-Key": key}, json=body,
                     params={"allow_duplicate": "true"})
    assert admin.status_code == 201 and "Idempotent-Replayed" not in admin.headers


def test_a_refused_request_is_answered_the_same_again(api, accountant):
    key = str(uuid.uuid4())
    for _ in range(2):
        assert_error(api.post(CLIENTS, headers={**accountant, "Idempotency-Key": key},
                              json={"name": ""}), 422, "validation_error", "name")


def test_two_copies_sent_at_once_make_one_client(api, accountant):
    """The key is claimed before the work starts: a copy arriving meanwhile is told to wait
    (409) or, once the first is done, gets its answer; never a second client."""
    body, key = _body(), str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: api.post(
            CLIENTS, headers={**accountant, "Idempotency-Key": key}, json=body), range(4)))
    assert {a.status_code for a in answers} <= {201, 409}
    made = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(made) == 1
    assert len(_named(api, accountant, body["name"])) == 1
