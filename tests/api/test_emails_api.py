"""Sending invoices and the email log over HTTP: who may send, mark as sent, read and retry."""

import pytest

from billing_app.models.users import Role
from tests.api.conftest import assert_error
from tests.api.test_clients_api import create_client

INVOICES = "/api/v1/invoices"
EMAILS = "/api/v1/emails"


@pytest.fixture
def draft_id(api, headers) -> int:
    client = create_client(api, headers[Role.ACCOUNTANT])
    response = api.post(INVOICES, headers=headers[Role.ACCOUNTANT], json={
        "client_id": client["id"], "issue_date": "2031-03-03",
        "lines": [{"description": "Survey", "quantity": "1", "unit_price": "80.00",
                   "tax_rate_ids": []}]})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def send(api, headers, invoice_id, **body):
    return api.post(f"{INVOICES}/{invoice_id}/send", headers=headers, json={
        "recipients": ["ap@northwind.example"], "subject": "Invoice", "message": "Attached.",
        **body})


def test_an_accountant_sends_a_draft_which_is_issued_and_queued(api, headers, draft_id):
    response = send(api, headers[Role.ACCOUNTANT], draft_id,
                    recipients=["ap@northwind.example", "boss@northwind.example"])

    assert response.status_code == 202, response.text
    sent = response.json()
    assert sent["invoice"]["status"] == "issued"  # sent once the mail server accepts it
    assert [(e["to_address"], e["status"], e["invoice_number"]) for e in sent["emails"]] == [
        (address, "queued", sent["invoice"]["number"])
        for address in ("ap@northwind.example", "boss@northwind.example")]

    log = api.get(EMAILS, headers=headers[Role.VIEWER], params={"invoice_id": draft_id})
    assert log.status_code == 200 and log.json()["total"] == 2
    detail = api.get(f"{EMAILS}/{sent['emails'][0]['id']}", headers=headers[Role.VIEWER]).json()
    assert detail["body_text"] == "Attached.\n"
    assert [name.endswith(".pdf") for name in detail["attachments"]] == [True]


def test_a_viewer_reads_the_log_but_cannot_send_mark_or_retry(api, headers, draft_id):
    viewer = headers[Role.VIEWER]
    assert_error(send(api, viewer, draft_id), 403, "forbidden")
    assert_error(api.post(f"{INVOICES}/{draft_id}/mark-sent", headers=viewer), 403, "forbidden")
    assert_error(api.post(f"{EMAILS}/1/retry", headers=viewer), 403, "forbidden")
    assert api.get(EMAILS, headers=viewer).status_code == 200
    for role in (Role.CLIENT,):
        assert_error(api.get(EMAILS, headers=headers[role]), 403, "forbidden")
    status = api.get(f"{INVOICES}/{draft_id}", headers=headers[Role.ACCOUNTANT]).json()["status"]
    assert status == "draft"


def test_mark_sent_makes_an_issued_invoice_sent_once(api, headers, draft_id):
    accountant = headers[Role.ACCOUNTANT]
    issued = api.post(f"{INVOICES}/{draft_id}/issue", headers=accountant).json()
    assert issued["status"] == "issued" and issued["sent_at"] is None

    marked = api.post(f"{INVOICES}/{draft_id}/mark-sent", headers=accountant)
    assert marked.status_code == 200 and marked.json()["status"] == "sent"
    assert marked.json()["sent_at"] is not None
    assert_error(api.post(f"{INVOICES}/{draft_id}/mark-sent", headers=accountant), 409, "conflict")


@pytest.mark.parametrize(("body", "field"), [
    ({"recipients": []}, "recipients"),
    ({"recipients": ["nobody"]}, "recipients"),
    ({"subject": "  "}, "subject"),
    ({"message": ""}, "message"),
])
def test_bad_send_requests_are_a_readable_422(api, headers, draft_id, body, field):
    assert_error(send(api, headers[Role.ACCOUNTANT], draft_id, **body), 422, "validation_error",
                 field)


def test_only_a_failed_email_is_retried(api, headers, draft_id):
    (email,) = send(api, headers[Role.ACCOUNTANT], draft_id).json()["emails"]
    assert_error(api.post(f"{EMAILS}/{email['id']}/retry", headers=headers[Role.ACCOUNTANT]),
                 409, "conflict")
    assert_error(api.post(f"{EMAILS}/999999/retry", headers=headers[Role.ACCOUNTANT]),
                 404, "not_found")
