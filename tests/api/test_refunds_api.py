"""Refunds over HTTP: part of a payment, a client's credit, refused beyond what is left, and
a retried request with the same Idempotency-Key makes one refund; a client's payment reversed
in a camt.053 statement, marked returned through /bank/reversals."""

import uuid
from datetime import date

from sqlmodel import func, select

from billing_app.db import session_scope
from billing_app.models.payments import Refund
from billing_app.models.users import Role
from tests.api.conftest import assert_error
from tests.api.test_payments_api import PAYMENTS, accountant, client, credit, issued, record, standing  # noqa: F401
from tests.support.camt import Entry, camt053

BANK = "/api/v1/bank"


def test_a_partial_refund_reopens_the_invoice_and_is_listed(api, accountant, client):
    invoice = issued(api, accountant, client["id"], "100.00")
    payment = record(api, accountant, client["id"], "110.00", (invoice, "100.00"))
    response = api.post(f"{PAYMENTS}/{payment['id']}/refunds", headers=accountant,
                        json={"amount": "30.00", "reason": "Two items returned"})
    assert response.status_code == 201, response.text
    made = response.json()
    assert (made["amount"], made["payment_id"], made["status"]) == ("30.00", payment["id"],
                                                                   "completed")
    assert standing(api, accountant, invoice["id"])[2] == "20.00"  # 10.00 credit, then 20.00
    assert credit(api, accountant, client["id"]) == {}
    found = api.get(f"{PAYMENTS}/{payment['id']}", headers=accountant).json()
    assert (found["amount_refunded"], found["unallocated"]) == ("30.00", "0.00")
    listed = api.get(f"{PAYMENTS}/{payment['id']}/refunds", headers=accountant).json()
    assert [refund["id"] for refund in listed] == [made["id"]]


def test_refunding_more_than_is_left_is_refused_with_the_field(api, accountant, client):
    payment = record(api, accountant, client["id"], "50.00")
    assert_error(api.post(f"{PAYMENTS}/{payment['id']}/refunds", headers=accountant,
                          json={"amount": "50.01", "reason": "Too much"}),
                 422, "validation_error", field="amount")
    assert_error(api.post(f"{PAYMENTS}/{payment['id']}/refunds", headers=accountant,
                          json={"amount": 5, "reason": "A number"}),
                 422, "validation_error", field="amount")


def test_a_credit_refund_keyed_twice_makes_one_refund(api, accountant, client):
    record(api, accountant, client["id"], "80.00")  # all of it is credit
    keyed = {**accountant, "Idempotency-Key": str(uuid.uuid4())}
    body = {"amount": "25.00", "reason": "Overpaid"}
    url = f"/api/v1/clients/{client['id']}/refunds"
    first, again = api.post(url, headers=keyed, json=body), api.post(url, headers=keyed, json=body)
    assert first.status_code == again.status_code == 201, first.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.json() == again.json() and first.json()["payment_id"] is None
    assert credit(api, accountant, client["id"]) == {"EUR": "55.00"}
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(Refund)
                       .where(Refund.client_id == client["id"])).one() == 1
    listed = api.get(url, headers=accountant).json()
    assert [refund["amount"] for refund in listed] == ["25.00"]


def test_a_viewer_cannot_refund(api, headers, accountant, client):
    payment = record(api, accountant, client["id"], "50.00")
    assert_error(api.post(f"{PAYMENTS}/{payment['id']}/refunds", headers=headers[Role.VIEWER],
                          json={"amount": "5.00", "reason": "No"}), 403, "forbidden")
    assert_error(api.post(f"/api/v1/clients/{client['id']}/refunds",
                          headers=headers[Role.VIEWER],
                          json={"amount": "5.00", "reason": "No"}), 403, "forbidden")


def _import(api, headers, content: bytes, name: str) -> dict:
    response = api.post(f"{BANK}/statements", headers=headers,
                        files={"file": (f"{name}.xml", content, "text/xml")})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_reversed_payment_is_listed_and_marked_returned(api, accountant, client):
    invoice = issued(api, accountant, client["id"], "240.00")
    e2e = f"E2E-{uuid.uuid4().hex[:12]}"
    paid = Entry("240.00", date(2031, 3, 6), client["name"], reference=invoice["number"],
                 end_to_end_id=e2e)
    statement = _import(api, accountant, camt053(paid, statement_id=f"P-{e2e}"), "paid")
    review = api.get(f"{BANK}/review", headers=accountant,
                     params={"statement_id": statement["statement_ids"][0]}).json()
    [line] = review["items"]
    accepted = api.post(f"{BANK}/proposals/{line['proposal']['id']}/accept", headers=accountant)
    assert accepted.status_code == 201, accepted.text
    payment_id = accepted.json()["id"]

    back = Entry("-240.00", date(2031, 3, 9), client["name"], reference=invoice["number"],
                 end_to_end_id=e2e, reversal=True)
    statement = _import(api, accountant, camt053(back, statement_id=f"R-{e2e}"), "reversed")
    [waiting] = api.get(f"{BANK}/reversals", headers=accountant,
                        params={"statement_id": statement["statement_ids"][0]}).json()
    assert (waiting["kind"], waiting["payment_id"], waiting["amount"]) == (
        "payment_returned", payment_id, "-240.00")
    assert waiting["explanation"].startswith(f"The bank reversed {client['name']}'s payment")
    assert api.post(f"{BANK}/reversals/{waiting['proposal_id']}/accept",
                    headers=accountant).json()["status"] == "matched"
    assert api.get(f"{PAYMENTS}/{payment_id}", headers=accountant).json()["status"] == "returned"
    assert standing(api, accountant, invoice["id"])[2] == "240.00"
    assert_error(api.post(f"{BANK}/reversals/{waiting['proposal_id']}/accept",
                          headers=accountant), 409, "conflict")


def test_the_api_docs_ask_for_refund_amounts_as_strings(api):
    schemas = api.get("/api/openapi.json").json()["components"]["schemas"]
    assert schemas["RefundBody"]["properties"]["amount"]["type"] == "string"
