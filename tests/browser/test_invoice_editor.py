"""An accountant writes and issues an invoice; totals are right to the cent; roles hold."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.clients import Client
from billing_app.models.company import Company
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.services.company import company_update
from tests.browser.conftest import sign_in


def a_client(engine) -> Client:
    with Session(engine) as db:
        return db.exec(select(Client).where(~Client.is_archived, Client.credit_limit.is_(None),
                                            Client.currency == "EUR").order_by(Client.id)).first()


def invoice_count(engine) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(Invoice)).one()


def choose_client(page, client: Client) -> None:
    page.get_by_label("Client").fill(f"{client.name} (#{client.id})")


def fill_line(page, n: int, description: str, quantity: str, price: str) -> None:
    page.get_by_label(f"Description, line {n}").fill(description)
    page.get_by_label(f"Quantity, line {n}").fill(quantity)
    page.get_by_label(f"Unit price, line {n}").fill(price)


def set_tax(page, n: int, name: str, checked: bool) -> None:
    """Tick or untick a rate in the line's "Tax" list (a button showing the chosen rates)."""
    page.get_by_role("button", name=f"Tax, line {n}:").click()
    box = page.get_by_role("checkbox", name=f"{name}, line {n}")
    if (box.get_attribute("aria-checked") == "true") != checked:
        box.click()
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()


def write_three_line_invoice(page, client: Client) -> None:
    page.goto("/invoices/new")
    choose_client(page, client)
    fill_line(page, 1, "Consulting", "10", "120.00")
    page.get_by_role("button", name="Add line").click()
    fill_line(page, 2, "Software licence", "2", "49.99")
    page.get_by_label("Discount type, line 2").select_option("percent")
    page.get_by_label("Discount, line 2").fill("10")
    set_tax(page, 2, "Standard 19%", False)
    set_tax(page, 2, "Reduced 7%", True)
    page.get_by_role("button", name="Add line").click()
    fill_line(page, 3, "Travel", "1", "80.00")
    page.get_by_label("Discount type, line 3").select_option("amount")
    page.get_by_label("Discount, line 3").fill("5.00")
    page.get_by_label("Invoice discount type").select_option("percent")
    page.get_by_label("Invoice discount", exact=True).fill("5")


@pytest.mark.browser
def test_accountant_writes_issues_and_finds_an_invoice(page, live_engine):
    client = a_client(live_engine)
    sign_in(page, "accountant@example.com")
    write_three_line_invoice(page, client)

    # By hand: nets 1200.00 + 89.98 (99.98 less 10 %) + 75.00 = 1364.98; 5 % off = 68.25, split
    # 63.75 / 4.50 over the 19 % and 7 % bases; tax 19 % of 1211.25 = 230.14 and 7 % of 85.48 = 5.98.
    totals = page.get_by_label("Invoice totals")
    expect(totals).to_contain_text("€1,364.98")
    expect(totals).to_contain_text("-€68.25")
    expect(totals).to_contain_text("Tax 19% on €1,211.25")
    expect(totals).to_contain_text("€230.14")
    expect(totals).to_contain_text("Tax 7% on €85.48")
    expect(totals).to_contain_text("€5.98")
    expect(totals).to_contain_text("€236.12")
    expect(totals).to_contain_text("€1,532.85")
    expect(page.get_by_label("Net, line 2")).to_have_text("€89.98")

    page.get_by_role("button", name="Save and issue").click()
    expect(page).to_have_url(re.compile(r"/invoices/\d+/?$"))
    heading = page.get_by_role("heading", level=2).first
    expect(heading).to_have_text(re.compile(r"^INV-\d{4}-\d{5}$"))
    number = heading.inner_text()
    # issued, not sent: nothing was emailed yet, so it can be sent or marked as sent
    expect(page.get_by_role("button", name="Mark as sent")).to_be_visible()
    expect(page.get_by_label("Balance due")).to_contain_text("€1,532.85")
    with Session(live_engine) as db:
        stored = db.exec(select(Invoice).where(Invoice.number == number)).one()
    assert (str(stored.total), stored.status, stored.client_id) == ("1532.8500", "issued", client.id)

    page.goto("/invoices")
    page.get_by_label("Search").first.fill(number)
    expect(page.get_by_role("link", name=number)).to_be_visible()


@pytest.mark.browser
@pytest.mark.parametrize("line_input, message", [
    ({"Quantity": "-2"}, "negative"),
    ({"Discount type": "percent", "Discount": "150"}, "100%"),
    ({"Unit price": "abc"}, "Unit price"),
])
def test_bad_line_input_is_explained_next_to_the_line_and_saves_nothing(page, live_engine, line_input, message):
    client = a_client(live_engine)
    before = invoice_count(live_engine)
    sign_in(page, "accountant@example.com")
    page.goto("/invoices/new")
    choose_client(page, client)
    fill_line(page, 1, "Consulting", "1", "100")
    for label, value in line_input.items():
        control = page.get_by_label(f"{label}, line 1")
        if label == "Discount type":
            control.select_option(value)
        else:
            control.fill(value)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert").filter(has_text=message).first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/invoices/new/?"))
    assert invoice_count(live_engine) == before


@pytest.mark.browser
def test_viewer_sees_an_invoice_but_cannot_change_it(page, live_engine):
    with Session(live_engine) as db:
        invoice = db.exec(select(Invoice).where(Invoice.status == "draft")).first()
    sign_in(page, "viewer@example.com")
    page.goto(f"/invoices/{invoice.id}")
    expect(page.get_by_role("heading", name=f"Draft #{invoice.id}")).to_be_visible()
    for action in ["Issue invoice", "Edit draft", "Duplicate", "Cancel invoice"]:
        expect(page.get_by_role("button", name=action)).to_have_count(0)
    page.goto(f"/invoices/{invoice.id}/edit")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


@pytest.mark.browser
def test_client_user_cannot_open_another_clients_invoice(page, live_engine):
    with Session(live_engine) as db:
        own = db.exec(select(User.client_id).where(User.email == "client@example.com")).one()
        foreign = db.exec(select(Invoice).where(Invoice.client_id != own, Invoice.status == "sent")).first()
        mine = db.exec(select(Invoice).where(Invoice.client_id == own, Invoice.status != "draft")).first()
    sign_in(page, "client@example.com")
    page.goto(f"/my/invoices/{foreign.id}")
    expect(page.get_by_text("That invoice does not exist, or you may not see it.")).to_be_visible()
    page.goto(f"/my/invoices/{mine.id}")
    expect(page.get_by_role("heading", name=mine.number)).to_be_visible()
    page.goto(f"/invoices/{foreign.id}")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


@pytest.mark.browser
def test_admin_changes_the_numbering_pattern_and_the_next_invoice_follows_it(page, live_engine):
    with Session(live_engine) as db:
        old_pattern = db.exec(select(Company.invoice_number_pattern)).one()
    try:
        sign_in(page, "admin@example.com")
        page.goto("/admin/settings")
        page.get_by_role("tab", name="Invoicing").click()
        page.get_by_label("Invoice number pattern").fill("TEST-{YYYY}-{SEQ:03}")
        page.get_by_role("button", name="Save invoicing settings").click()
        expect(page.get_by_text("Invoicing settings saved.")).to_be_visible()

        page.goto("/invoices/new")
        choose_client(page, a_client(live_engine))
        fill_line(page, 1, "Workshop", "1", "300")
        expect(page.get_by_label("Invoice totals")).to_contain_text("€357.00")
        page.get_by_role("button", name="Save and issue").click()
        expect(page.get_by_role("heading", level=2).first).to_have_text(re.compile(r"^TEST-\d{4}-\d{3}$"))
    finally:
        with Session(live_engine) as db:
            company_update(db, actor=SYSTEM_ACTOR, data={"invoice_number_pattern": old_pattern})
            db.commit()
