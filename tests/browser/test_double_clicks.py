"""The create forms: a double or triple click makes one record; a new invoice shows the notes
and terms it will be saved with."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.models.clients import Client
from billing_app.models.company import Company
from billing_app.models.invoices import Invoice
from tests.browser.conftest import sign_in
from tests.browser.test_invoice_editor import a_client, choose_client, fill_line


def _invoices_of(engine, client_id: int) -> list[Invoice]:
    with Session(engine) as db:
        return list(db.exec(select(Invoice).where(Invoice.client_id == client_id)))


@pytest.mark.browser
@pytest.mark.parametrize(("button", "clicks", "status"), [("Save and issue", 2, "issued"),
                                                           ("Save draft", 3, "draft")])
def test_clicking_save_again_and_again_makes_one_invoice(page, live_engine, button, clicks, status):
    client = a_client(live_engine)
    before = {invoice.id for invoice in _invoices_of(live_engine, client.id)}
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/invoices/new")
    choose_client(page, client)
    description = f"Double click {uuid.uuid4().hex[:6]}"
    fill_line(page, 1, description, "1", "10.00")
    expect(page.get_by_text("€11.90").first).to_be_visible()  # the totals have caught up
    page.get_by_role("button", name=button).click(click_count=clicks)
    expect(page).to_have_url(re.compile(r"/invoices/\d+$"))
    page.wait_for_timeout(1500)  # any further click's event has been answered
    made = [i for i in _invoices_of(live_engine, client.id) if i.id not in before]
    assert len(made) == 1 and made[0].status == status


@pytest.mark.browser
def test_double_clicking_create_client_makes_one_client(page, live_engine):
    name = f"Once Only {uuid.uuid4().hex[:6]} GmbH"
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/clients/new")
    page.get_by_role("group", name="Client details").get_by_label("Name", exact=True).fill(name)
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Street and number").fill("Hafenstraße 1")
    billing.get_by_label("City").fill("Hamburg")
    page.get_by_role("button", name="Create client").dblclick()
    expect(page).to_have_url(re.compile(r"/clients/\d+$"))
    page.wait_for_timeout(1500)
    with Session(live_engine) as db:
        assert db.exec(select(func.count()).select_from(Client).where(Client.name == name)).one() == 1


@pytest.mark.browser
def test_a_new_invoice_shows_the_notes_and_terms_it_will_get(page, live_engine):
    with Session(live_engine) as db:
        company = db.exec(select(Company)).first()
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/invoices/new")
    expect(page.get_by_label("Notes", exact=True)).to_have_value(company.default_notes or "")
    expect(page.get_by_label("Terms", exact=True)).to_have_value(company.default_terms or "")
    assert company.default_notes  # the demo company has some, so the check means something
