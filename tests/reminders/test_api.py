"""The reminders API over HTTP: an invoice's reminders, pausing, and the schedule for admins.
Requests run in the test's rolled-back session, as the given user."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from billing_app.api.app import create_api
from billing_app.api.deps import current_user, db_session
from billing_app.services.reminders import reminder_send
from tests.reminders.conftest import DUE


@pytest.fixture
def as_user(db):
    app = create_api()
    app.dependency_overrides[db_session] = lambda: db

    def client(user) -> TestClient:
        app.dependency_overrides[current_user] = lambda: user
        return TestClient(app)

    return client


def test_invoice_reminders_and_pausing(db, levels, issued, accountant, viewer, as_user):
    invoice = issued()
    reminder_send(db, invoice_id=invoice.id, today=DUE + timedelta(days=14))

    shown = as_user(viewer).get(f"/api/v1/invoices/{invoice.id}/reminders")
    assert shown.status_code == 200
    body = shown.json()
    assert [(row["level"], row["fee"]) for row in body["sent"]] == [("Second", "5.00")]
    assert body["next"] == {"level": "Final", "on": (DUE + timedelta(days=30)).isoformat()}
    assert as_user(viewer).post(f"/api/v1/invoices/{invoice.id}/reminders/pause",
                                json={"reason": "Disputed"}).status_code == 403

    paused = as_user(accountant).post(f"/api/v1/invoices/{invoice.id}/reminders/pause",
                                      json={"reason": "Disputed"})
    assert (paused.json()["paused_reason"], paused.json()["next"]) == ("Disputed", None)
    detail = as_user(viewer).get(f"/api/v1/invoices/{invoice.id}").json()
    assert (detail["fees_total"], detail["balance_due"]) == ("5.00", "105.00")


def test_levels_are_for_admins(db, levels, admin, accountant, as_user):
    assert as_user(accountant).get("/api/v1/reminder-levels").status_code == 403
    made = as_user(admin).post("/api/v1/reminder-levels", json={
        "days": 60, "name": "Collection warning", "template_key": "reminder:collection",
        "fee_kind": "fixed", "fee_value": "25.00"})
    assert made.status_code == 201, made.text
    listed = as_user(admin).get("/api/v1/reminder-levels").json()
    assert [level["days"] for level in listed] == [-3, 7, 14, 30, 60]
    assert as_user(admin).delete(f"/api/v1/reminder-levels/{made.json()['id']}").status_code == 204
