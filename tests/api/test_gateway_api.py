"""The payment gateway webhook over HTTP: signatures, replays, bad deliveries, concurrency."""

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import func, select

from billing_app.db import session_scope
from billing_app.models.banking import GatewayEvent
from billing_app.models.payments import Payment
from billing_app.models.users import Role
from billing_app.services.payments.gateway import signature_compute
from billing_app.settings import get_settings
from tests.api.conftest import assert_error
from tests.api.test_clients_api import create_client
from tests.api.test_payments_api import credit, issued, standing

SECRET = "whsec_api_test_secret"
EVENTS = "/api/v1/gateway/stripe/events"


@pytest.fixture(scope="module", autouse=True)
def gateway_secrets(api_database) -> Iterator[None]:
    """The server reads the secrets per request: set them for this module only."""
    before = os.environ.get("GATEWAY_SECRETS")
    os.environ["GATEWAY_SECRETS"] = json.dumps({"stripe": SECRET})
    get_settings.cache_clear()
    yield
    if before is None:
        del os.environ["GATEWAY_SECRETS"]
    else:
        os.environ["GATEWAY_SECRETS"] = before
    get_settings.cache_clear()


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


@pytest.fixture
def bill(api, accountant) -> dict:
    """An issued invoice of 100.00 EUR."""
    return issued(api, accountant, create_client(api, accountant)["id"])


def payment_event(invoice: dict, amount="100.00", **data) -> dict:
    return {"id": f"evt_{uuid.uuid4().hex}", "type": "payment.succeeded", "data": {
        "invoice_number": invoice["number"], "amount": amount, "currency": "EUR",
        "transaction_id": f"pi_{uuid.uuid4().hex}", "status": "succeeded",
        "paid_at": "2031-03-06", **data}}


def signed(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {"X-Signature": f"t={timestamp},v1={signature_compute(secret.encode(), timestamp, body)}",
            "Content-Type": "application/json"}


def deliver(api: httpx.Client, event: dict | bytes, url: str = EVENTS, **signing
            ) -> httpx.Response:
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return api.post(url, content=body, headers=signed(body, **signing))


def rows_written() -> tuple[int, int]:
    """Payments and gateway events in the server's database."""
    with session_scope() as session:
        return tuple(session.exec(select(func.count()).select_from(model)).one()
                     for model in (Payment, GatewayEvent))


def payments_of(transaction_id: str) -> list[Payment]:
    with session_scope() as session:
        return list(session.exec(select(Payment).where(
            Payment.gateway_transaction_id == transaction_id)).all())


def test_a_signed_payment_event_pays_the_invoice(api, accountant, bill):
    first = payment_event(bill, "40.00")
    response = deliver(api, first)
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["event_id"], result["duplicate"], result["ignored"]) == (
        first["id"], False, False)
    assert standing(api, accountant, bill["id"]) == ("partially_paid", "40.00", "60.00")
    payment = api.get(f"/api/v1/payments/{result['payment_id']}", headers=accountant).json()
    transaction = first["data"]["transaction_id"]
    assert (payment["method"], payment["reference"], payment["gateway_transaction_id"]) == (
        "online_gateway", f"stripe {transaction}", transaction)
    assert [a["invoice_id"] for a in payment["allocations"]] == [bill["id"]]

    assert deliver(api, payment_event(bill, "75.00")).status_code == 200
    assert standing(api, accountant, bill["id"]) == ("paid", "100.00", "0.00")
    assert credit(api, accountant, bill["client_id"]) == {"EUR": "15.00"}


def test_a_replayed_event_is_acknowledged_and_changes_nothing(api, accountant, bill):
    event = payment_event(bill, "30.00")
    first = deliver(api, event).json()
    before = rows_written()
    again = deliver(api, event)  # gateways retry until they get a 2xx
    assert again.status_code == 200, again.text
    assert (again.json()["duplicate"], again.json()["payment_id"]) == (True, first["payment_id"])
    assert rows_written() == before
    assert len(payments_of(event["data"]["transaction_id"])) == 1
    assert standing(api, accountant, bill["id"]) == ("partially_paid", "30.00", "70.00")


def test_other_event_types_are_acknowledged_once(api):
    event = {"id": f"evt_{uuid.uuid4().hex}", "type": "customer.created", "data": {}}
    before = rows_written()
    response = deliver(api, event)
    assert response.status_code == 200, response.text
    assert (response.json()["ignored"], response.json()["duplicate"]) == (True, False)
    assert deliver(api, event).json()["duplicate"] is True
    assert rows_written() == (before[0], before[1] + 1)


def _bad_delivery(api: httpx.Client, bill: dict, case: str) -> httpx.Response:
    event = payment_event(bill)
    body = json.dumps(event).encode()
    now = int(time.time())
    cases = {
        "wrong-secret": lambda: deliver(api, event, secret="whsec_guess"),
        "body-changed-after-signing": lambda: api.post(
            EVENTS, content=body.replace(b"100.00", b"1.00"), headers=signed(body)),
        "stale-timestamp": lambda: deliver(api, event, timestamp=now - 301),
        "future-timestamp": lambda: deliver(api, event, timestamp=now + 301),
        "missing-header": lambda: api.post(EVENTS, content=body),
        "malformed-header": lambda: api.post(EVENTS, content=body,
                                             headers={"X-Signature": "sha256=abc"}),
        "unknown-provider": lambda: deliver(api, event, url="/api/v1/gateway/paypal/events"),
        "unknown-invoice": lambda: deliver(api, payment_event(
            {**bill, "number": "INV-1999-00001"})),
        "other-currency": lambda: deliver(api, payment_event(bill, currency="USD")),
        "malformed-json": lambda: deliver(api, b'{"id": "evt_1", "type": '),
        "not-an-object": lambda: deliver(api, b'["payment.succeeded"]'),
        "amount-as-number": lambda: deliver(api, payment_event(bill, 100.0)),
        "amount-negative": lambda: deliver(api, payment_event(bill, "-100.00")),
        "amount-too-precise": lambda: deliver(api, payment_event(bill, "100.001")),
        "no-event-id": lambda: deliver(api, {k: v for k, v in event.items() if k != "id"}),
        "no-paid-at": lambda: deliver(api, payment_event(bill, paid_at=None)),
    }
    return cases[case]()


BAD_DELIVERIES = {
    "wrong-secret": (401, "not_authenticated", "does not match"),
    "body-changed-after-signing": (401, "not_authenticated", "does not match"),
    "stale-timestamp": (401, "not_authenticated", "expired"),
    "future-timestamp": (401, "not_authenticated", "expired"),
    "missing-header": (401, "not_authenticated", "missing"),
    "malformed-header": (401, "not_authenticated", "not in the form"),
    "unknown-provider": (404, "not_found", "paypal"),
    "unknown-invoice": (422, "validation_error", "no invoice INV-1999-00001"),
    "other-currency": (422, "validation_error", "is in EUR, the payment in USD"),
    "malformed-json": (422, "validation_error", "not valid JSON"),
    "not-an-object": (422, "validation_error", None),
    "amount-as-number": (422, "validation_error", "as a string"),
    "amount-negative": (422, "validation_error", "negative"),
    "amount-too-precise": (422, "validation_error", "at most 2 decimals"),
    "no-event-id": (422, "validation_error", None),
    "no-paid-at": (422, "validation_error", None),
}


@pytest.mark.parametrize("case", list(BAD_DELIVERIES))
def test_bad_deliveries_are_refused_and_store_nothing(api, accountant, bill, case):
    before = rows_written()
    status, code, message = BAD_DELIVERIES[case]
    error = assert_error(_bad_delivery(api, bill, case), status, code)
    if message:
        assert message in error["message"]
    assert rows_written() == before
    assert standing(api, accountant, bill["id"]) == ("issued", "0.00", "100.00")


def test_a_corrected_retry_of_a_refused_event_goes_through(api, accountant, bill):
    wrong = payment_event({**bill, "number": "INV-1999-00002"})
    assert_error(deliver(api, wrong), 422, "validation_error")
    corrected = {**wrong, "data": {**wrong["data"], "invoice_number": bill["number"]}}
    response = deliver(api, corrected)
    assert response.status_code == 200 and response.json()["duplicate"] is False
    assert standing(api, accountant, bill["id"])[0] == "paid"


def test_concurrent_deliveries_of_one_event_record_one_payment(api_url, accountant, api, bill):
    event = payment_event(bill, "60.00")
    body = json.dumps(event).encode()
    start = threading.Barrier(8)
    results: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(base_url=api_url, timeout=30) as client:
            start.wait()
            results.append(client.post(EVENTS, content=body, headers=signed(body)))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in results] == [200] * 8, [r.text for r in results]
    assert sorted(r.json()["duplicate"] for r in results) == [False] + [True] * 7
    assert len({r.json()["payment_id"] for r in results}) == 1
    assert len(payments_of(event["data"]["transaction_id"])) == 1
    assert standing(api, accountant, bill["id"]) == ("partially_paid", "60.00", "40.00")


def test_the_api_docs_describe_the_webhook(api):
    operation = api.get("/api/openapi.json").json()["paths"]["/api/v1/gateway/{provider}/events"]
    body = operation["post"]["requestBody"]["content"]["application/json"]
    data = body["schema"]["properties"]["data"]["properties"]
    assert data["amount"]["type"] == "string"
    assert body["example"]["type"] == "payment.succeeded"
    assert "X-Signature" in [p["name"] for p in operation["post"]["parameters"]]
    assert "security" not in operation["post"]
