"""GDPR on a client's page: an admin exports the client's data as a zip, and anonymises a client
after typing its name (a wrong name is refused and changes nothing; a double click anonymises
once; the books read the same afterwards). An accountant sees neither button.

The accountant's refusal by the event handler itself (ClientDetailState.anonymise_client, called
by a crafted websocket message) is covered by tests/security/test_authorization_matrix.py; the
download link's refusal is checked here, as the matrix sees no permission on that route.
"""

import json
import uuid
import zipfile
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.audit import AuditLog
from billing_app.models.clients import Client
from billing_app.queries.company import company_today
from billing_app.services.clients import client_create
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from tests.browser.conftest import sign_in

TYPING = 40  # ms between keys


@pytest.fixture
def private_client(live_engine) -> tuple[int, str, str]:
    """A client of this test only (the demo clients stay as they are), with one issued invoice."""
    tag = uuid.uuid4().hex[:6]
    name = f"Privet Orchards {tag}"
    with Session(live_engine) as db:
        client = client_create(
            db, actor=SYSTEM_ACTOR,
            data={"name": name, "email": f"ledger-{tag}@privet.example.com", "phone": "+49 30 555 0101"},
            contacts=[{"name": f"Petra Privet {tag}", "email": f"petra-{tag}@privet.example.com",
                       "is_primary": True}],
            addresses=[{"kind": "billing", "line1": "Obstweg 7", "city": "Berlin", "country": "DE"}])
        today = company_today(db)
        draft = invoice_create_draft(db, actor=SYSTEM_ACTOR, data={
            "client_id": client.id, "issue_date": today,
            "lines": [{"description": "Orchard survey", "quantity": "1", "unit_price": "1234.50"}]})
        invoice = invoice_issue(db, actor=SYSTEM_ACTOR, invoice_id=draft.id,
                                override_credit_limit=True, today=today)
        db.commit()
        return client.id, name, invoice.number


def _client(engine, client_id: int) -> Client:
    with Session(engine) as db:
        return db.get(Client, client_id)


def _anonymised_count(engine, client_id: int) -> int:
    with Session(engine) as db:
        return len(db.exec(select(AuditLog).where(
            AuditLog.action == "client.anonymise", AuditLog.entity_id == str(client_id))).all())


def _open_client(page, client_id: int, name: str) -> None:
    page.goto(f"/clients/{client_id}")
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def _books(page, number: str) -> list[str]:
    """What the page says the client was invoiced and owes: the figures and the invoice's rows
    (in the invoice history and in the account statement)."""
    rows = page.get_by_role("row").filter(has_text=number)
    expect(rows).to_have_count(2)
    figures = [page.get_by_label(label, exact=True).get_by_role("heading").inner_text()
               for label in ("Total invoiced", "Paid", "Outstanding")]
    return [*figures, *(row.inner_text() for row in rows.all())]


@pytest.mark.browser
def test_admin_exports_then_anonymises_a_client_once(page, live_app, live_engine, private_client):
    client_id, name, number = private_client
    sign_in(page, "admin@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _open_client(page, client_id, name)
    expect(page.get_by_label("Total invoiced", exact=True)).to_contain_text("1,234.50")
    books = _books(page, number)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export client data (GDPR)").click()
    assert download.value.suggested_filename == f"client-{client_id}-data.zip"
    with zipfile.ZipFile(download.value.path()) as archive:
        data = json.loads(archive.read("client.json"))
    assert data["client"]["name"] == name
    assert [Decimal(invoice["total"]) for invoice in data["invoices"]] == [Decimal("1234.50")]

    page.get_by_role("button", name="Anonymise client").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(f"The client's name: {name}")).to_be_visible()  # shown, to copy
    label = "Type the client's name to confirm"
    confirm = dialog.get_by_label(label)
    confirm.press_sequentially("Privet Orchards", delay=TYPING)
    dialog.get_by_role("button", name="Anonymise client").click()
    next_to_field = dialog.locator("label", has_text=label).locator(
        "xpath=following-sibling::*[@role='alert']")
    expect(next_to_field).to_have_text("Type the client's name exactly as shown to confirm.")
    assert _client(live_engine, client_id).name == name
    assert _anonymised_count(live_engine, client_id) == 0

    confirm.fill("")
    confirm.press_sequentially(name, delay=TYPING)
    dialog.get_by_role("button", name="Anonymise client").dblclick()
    expect(page.get_by_role("dialog")).to_have_count(0)
    anonymised = f"Anonymised client {client_id}"
    expect(page.get_by_role("heading", name=anonymised)).to_be_visible()
    expect(page.get_by_text("Client anonymised. Its invoices and payments stay.")).to_be_visible()
    client = _client(live_engine, client_id)
    assert (client.name, client.email, client.phone) == (anonymised, None, None)
    assert _anonymised_count(live_engine, client_id) == 1

    page.reload()  # what the page reads afresh, not what the handler left in the tab
    expect(page.get_by_role("heading", name=anonymised)).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)
    assert _books(page, number) == books


@pytest.mark.browser
def test_an_accountant_has_no_gdpr_buttons_and_the_download_is_refused(page, live_app, private_client):
    client_id, name, _ = private_client
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _open_client(page, client_id, name)
    expect(page.get_by_role("link", name="New invoice")).to_be_visible()  # the header has loaded
    expect(page.get_by_role("link", name="Export client data (GDPR)")).to_have_count(0)
    expect(page.get_by_role("button", name="Anonymise client")).to_have_count(0)

    response = page.request.get(f"/downloads/clients/{client_id}/personal-data.zip")
    assert response.status == 403, response.text()
    assert response.headers["content-type"] != "application/zip"
