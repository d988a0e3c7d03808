"""Double and triple clicks on the create buttons make one record.

Create buttons and where their test is: Create client, Save draft, Save and issue
(test_double_clicks.py); Create credit note (test_credit_note_lines.py); Refund, Mark payment
returned (test_refunds_and_reversals.py); here: Record payment, Create product, Save tax rate,
Create user, Add contact (Save contact), Duplicate (an invoice), Create anyway (a client of the
same name) and Record payment from a bank statement line.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.domain.statements import CsvMapping
from billing_app.models.catalog import Product
from billing_app.models.clients import Client, Contact
from billing_app.models.company import TaxRate
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.services.banking import statement_import
from tests.browser.conftest import sign_in

CLICKS = {"double": lambda button: button.dblclick(), "triple": lambda button: button.click(click_count=3)}


def _count(engine, model, *where) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(model).where(*where)).one()


def _signed_in(page, email: str) -> None:
    sign_in(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _a_client(engine) -> Client:
    with Session(engine) as db:
        return db.exec(select(Client).where(~Client.is_archived).order_by(Client.id)).first()


def _settle(page) -> None:
    page.wait_for_timeout(1500)  # any further click's event has been answered


@pytest.mark.browser
@pytest.mark.parametrize("clicks", CLICKS)
def test_record_payment(page, live_engine, clicks):
    client, reference = _a_client(live_engine), f"Once {uuid.uuid4().hex[:8]}"
    _signed_in(page, "accountant@example.com")
    page.goto(f"/payments/new?client={client.id}")
    page.get_by_label("Amount", exact=True).fill("12.34")
    page.get_by_label("Reference").fill(reference)
    expect(page.get_by_label("Allocation summary")).not_to_contain_text("—")  # the amount has arrived
    CLICKS[clicks](page.get_by_role("button", name="Record payment"))
    expect(page).to_have_url(re.compile(r"/payments/\d+/?$"))
    _settle(page)
    assert _count(live_engine, Payment, Payment.reference == reference) == 1


def _fill_product(dialog, name: str) -> None:
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Unit price").fill("10.00")


def _fill_rate(dialog, name: str) -> None:
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Rate (%)").fill("3")


def _fill_user(dialog, name: str) -> None:
    dialog.get_by_label("Full name").fill("Once Only")
    dialog.get_by_label("Email").fill(f"{name}@example.com")
    dialog.get_by_label("Role").select_option("viewer")
    dialog.get_by_label("Initial password").fill("a long enough password")


DIALOGS = {
    # what: (who, page, buttons that open the dialog, fill it, its create button, records so named)
    "product": ("accountant", "/products", ["New product"], _fill_product, "Create product",
                lambda name: (Product, Product.name == name)),
    "tax rate": ("admin", "/admin/settings", ["Tax rates", "Add tax rate"], _fill_rate, "Save tax rate",
                 lambda name: (TaxRate, TaxRate.name == name)),
    "user": ("admin", "/admin/users", ["New user"], _fill_user, "Create user",
             lambda name: (User, User.email == f"{name}@example.com")),
    "contact": ("accountant", "/clients/{client}", ["Add contact"],
                lambda dialog, name: dialog.get_by_label("Name", exact=True).fill(name), "Save contact",
                lambda name: (Contact, Contact.name == name)),
}


@pytest.mark.browser
@pytest.mark.parametrize("clicks", CLICKS)
@pytest.mark.parametrize("what", DIALOGS)
def test_a_create_dialog_makes_one_record(page, live_engine, what, clicks):
    who, path, openers, fill, button, named = DIALOGS[what]
    name = f"once.{uuid.uuid4().hex[:8]}"
    _signed_in(page, f"{who}@example.com")
    page.goto(path.format(client=_a_client(live_engine).id))
    for opener in openers:
        page.get_by_role("tab", name=opener).or_(page.get_by_role("button", name=opener)).click()
    dialog = page.get_by_role("dialog")
    fill(dialog, name)
    CLICKS[clicks](dialog.get_by_role("button", name=button))
    expect(page.get_by_role("dialog")).to_have_count(0)
    _settle(page)
    assert _count(live_engine, *named(name)) == 1


@pytest.mark.browser
@pytest.mark.parametrize("clicks", CLICKS)
def test_duplicate_an_invoice(page, live_engine, clicks):
    with Session(live_engine) as db:
        invoice = db.exec(select(Invoice).where(Invoice.number.is_not(None)).order_by(Invoice.id.desc())).first()
    before = _count(live_engine, Invoice, Invoice.client_id == invoice.client_id)
    _signed_in(page, "accountant@example.com")
    page.goto(f"/invoices/{invoice.id}")
    CLICKS[clicks](page.get_by_role("button", name="Duplicate"))
    expect(page).to_have_url(re.compile(r"/invoices/\d+/edit$"))
    _settle(page)
    assert _count(live_engine, Invoice, Invoice.client_id == invoice.client_id) == before + 1


@pytest.mark.browser
@pytest.mark.parametrize("clicks", CLICKS)
def test_create_a_client_anyway(page, live_engine, clicks):
    existing = _a_client(live_engine)
    _signed_in(page, "accountant@example.com")
    page.goto("/clients/new")
    page.get_by_role("group", name="Client details").get_by_label("Name", exact=True).fill(existing.name.upper())
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Street and number").fill("Hafenstraße 1")
    billing.get_by_label("Country").select_option("DE")
    page.get_by_role("button", name="Create client").click()
    warning = page.get_by_role("alert").filter(has_text="has the same name")
    expect(warning).to_contain_text(f"client #{existing.id}")
    expect(warning.get_by_role("link", name=f"Open {existing.name}")).to_have_attribute(
        "href", re.compile(rf"/clients/{existing.id}$"))
    before = _count(live_engine, Client, func.lower(Client.name) == existing.name.lower())
    CLICKS[clicks](warning.get_by_role("button", name="Create anyway"))
    expect(page).to_have_url(re.compile(r"/clients/\d+$"))
    _settle(page)
    assert _count(live_engine, Client, func.lower(Client.name) == existing.name.lower()) == before + 1


@pytest.mark.browser
@pytest.mark.parametrize("clicks", CLICKS)
def test_record_payment_from_a_bank_line(page, live_engine, clicks):
    client, reference = _a_client(live_engine), f"Once line {uuid.uuid4().hex[:8]}"
    with Session(live_engine) as db:
        text = f"date,amount,reference\n{company_today(db).isoformat()},7.65,{reference}\n"
        result = statement_import(db, actor=SYSTEM_ACTOR, file_name=f"{reference}.csv", data=text.encode(),
                                  mapping=CsvMapping(date="date", amount="amount", reference="reference"))
        db.commit()
    before = _count(live_engine, Payment, Payment.client_id == client.id)
    _signed_in(page, "accountant@example.com")
    page.goto(f"/bank/review?statement={result.statement_ids[0]}")
    page.get_by_role("article").filter(has_text=reference).get_by_role("button", name="Match…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Client", exact=True).fill(f"{client.name} (#{client.id})")
    expect(dialog.get_by_label("Allocation summary")).to_contain_text("Unallocated")
    page.wait_for_timeout(600)  # the picker has told the server
    CLICKS[clicks](dialog.get_by_role("button", name="Record payment"))
    expect(page.get_by_text(f"recorded for {client.name}")).to_be_visible()
    _settle(page)
    assert _count(live_engine, Payment, Payment.client_id == client.id) == before + 1
