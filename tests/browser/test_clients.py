"""Clients in the browser: create with contacts, refuse bad input, edit, archive, search, roles."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.clients import Address, Client, Contact
from billing_app.models.users import User
from billing_app.queries.clients import clients_page
from billing_app.services.clients import client_create
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
CLIENT_PAGE = re.compile(r"/clients/(\d+)/?$")


def _unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def _clients_with_tax_id(engine, tax_id: str) -> list[Client]:
    with Session(engine) as db:
        return list(db.exec(select(Client).where(Client.tax_id == tax_id)))


def _make_client(engine, name: str, tax_id: str) -> int:
    with Session(engine) as db:
        actor = db.exec(select(User).where(User.email == "accountant@example.com")).one()
        client = client_create(
            db, actor=actor, data={"name": name, "tax_id": tax_id, "email": "office@example.com"},
            contacts=[{"name": "Olga Office", "email": "olga@example.com"}],
            addresses=[{"kind": "billing", "line1": "Main Street 1", "city": "Berlin", "country": "DE"}],
        )
        db.commit()
        return client.id


def error_next_to(scope, label: str):
    """The message under the input labelled `label` (the field's own alert, not the form's)."""
    return scope.locator("label", has_text=re.compile(f"^{re.escape(label)}$")).locator(
        "xpath=following-sibling::*[@role='alert']")


def click_on(box, checked: bool = True):
    """Tick a box whose state the server holds: check() would look before the server answers."""
    box.click()
    expect(box).to_be_checked(checked=checked)


def _open_new_client_form(page):
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="New client").click()
    expect(page.get_by_role("group", name="Client details")).to_be_visible()


def _fill_client(page, name: str, tax_id: str, contacts: list[tuple[str, str]]):
    details = page.get_by_role("group", name="Client details")
    details.get_by_label("Name", exact=True).fill(name)
    details.get_by_label("Tax ID", exact=True).fill(tax_id)
    details.get_by_label("Email", exact=True).fill("accounts@example.com")
    for number, (contact_name, email) in enumerate(contacts, start=1):
        page.get_by_role("button", name="Add contact").click()
        contact = page.get_by_role("group", name=f"Contact {number}", exact=True)
        contact.get_by_label("Name", exact=True).fill(contact_name)
        contact.get_by_label("Email", exact=True).fill(email)
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Street and number").fill("Hafenstraße 1")
    billing.get_by_label("Postal code").fill("20457")
    billing.get_by_label("City").fill("Hamburg")
    billing.get_by_label("Country").select_option("DE")


def test_accountant_creates_a_client_with_two_contacts_and_a_billing_address(page, live_engine):
    name, tax_id = _unique("Harbour Logistics"), _unique("DE")
    _open_new_client_form(page)
    currency = page.get_by_role("group", name="Client details").get_by_label("Currency")
    expect(currency).to_have_value("EUR")  # the company's currency
    _fill_client(page, name, tax_id, [("Alma First", "alma@example.com"), ("Zed Gone", "zed@example.com"),
                                       ("Bea Second", "bea@example.com")])
    page.get_by_role("group", name="Contact 2", exact=True).get_by_role("button", name="Remove contact").click()
    expect(page.get_by_role("group", name="Contact 3", exact=True)).to_have_count(0)
    second = page.get_by_role("group", name="Contact 2", exact=True)
    expect(second.get_by_label("Name", exact=True)).to_have_value("Bea Second")  # typed text moves along
    click_on(second.get_by_label("Primary contact"))
    click_on(page.get_by_label("Add a different shipping address"))
    shipping = page.get_by_role("group", name="Shipping address")
    shipping.get_by_label("Street and number").fill("Lagerweg 9")
    shipping.get_by_label("City").fill("Bremen")
    expect(shipping.get_by_label("Country")).to_have_value("DE")  # the company's country
    page.get_by_role("button", name="Create client").click()

    expect(page).to_have_url(CLIENT_PAGE)
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    bea = page.get_by_role("row").filter(has_text="Bea Second")
    alma = page.get_by_role("row").filter(has_text="Alma First")
    expect(bea.get_by_text("Primary", exact=True)).to_be_visible()
    expect(alma.get_by_text("Primary", exact=True)).to_have_count(0)
    expect(page.get_by_label("Billing address").get_by_text("20457 Hamburg")).to_be_visible()
    expect(page.get_by_label("Shipping address").get_by_text("Lagerweg 9")).to_be_visible()

    [client] = _clients_with_tax_id(live_engine, tax_id)
    assert str(client.id) == CLIENT_PAGE.search(page.url).group(1)
    with Session(live_engine) as db:
        contacts = {c.name: c.is_primary for c in db.exec(select(Contact).where(Contact.client_id == client.id))}
        cities = {str(a.kind): a.city for a in db.exec(select(Address).where(Address.client_id == client.id))}
    assert contacts == {"Alma First": False, "Bea Second": True}
    assert cities == {"billing": "Hamburg", "shipping": "Bremen"}


def test_bad_input_is_explained_next_to_its_field_and_creates_nothing(page, live_engine):
    name, tax_id = _unique("Careful GmbH"), _unique("DE")
    _open_new_client_form(page)
    _fill_client(page, "", tax_id, [("Alma First", "alma@example.com"), ("Bea Second", "not-an-email")])
    details = page.get_by_role("group", name="Client details")
    details.get_by_label("Credit limit").fill("abc")
    create = page.get_by_role("button", name="Create client")

    create.click()
    expect(error_next_to(details, "Name")).to_contain_text("required")

    details.get_by_label("Name", exact=True).fill(name)
    create.click()
    expect(error_next_to(details, "Credit limit")).to_contain_text("not an amount")
    expect(error_next_to(details, "Name")).to_have_count(0)

    details.get_by_label("Credit limit").fill("5000")
    create.click()
    second = page.get_by_role("group", name="Contact 2", exact=True)
    expect(error_next_to(second, "Email")).to_contain_text("Contact 2")
    expect(error_next_to(page.get_by_role("group", name="Contact 1", exact=True), "Email")).to_have_count(0)
    assert _clients_with_tax_id(live_engine, tax_id) == []

    second.get_by_label("Email", exact=True).fill("bea@example.com")
    create.click()
    expect(page).to_have_url(CLIENT_PAGE)
    [client] = _clients_with_tax_id(live_engine, tax_id)
    assert client.credit_limit == 5000


def test_edit_archive_search_and_restore(page, live_engine):
    name, tax_id = _unique("Edit Me Ltd"), _unique("GB")
    client_id = _make_client(live_engine, name, tax_id)
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/clients")
    page.get_by_label("Search clients").fill(tax_id)
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the client
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(rf"/clients/{client_id}/?$"))

    page.get_by_role("button", name="Edit details").click()
    page.get_by_label("Phone", exact=True).fill("+49 40 123456")
    page.get_by_label("Payment terms (days)").fill("abc")
    page.get_by_role("button", name="Save changes").click()
    expect(error_next_to(page, "Payment terms (days)")).to_be_visible()
    page.get_by_label("Payment terms (days)").fill("14")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Details saved.")).to_be_visible()
    expect(page.get_by_text("+49 40 123456")).to_be_visible()
    expect(page.get_by_text("14 days")).to_be_visible()
    [client] = _clients_with_tax_id(live_engine, tax_id)
    assert (client.phone, client.payment_terms_days) == ("+49 40 123456", 14)

    page.get_by_role("button", name="Archive client").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Archive client").click()
    expect(page.get_by_role("button", name="Restore client")).to_be_visible()
    assert _clients_with_tax_id(live_engine, tax_id)[0].is_archived

    page.goto("/clients")
    page.get_by_label("Search clients").fill(tax_id)
    expect(page.get_by_text("No clients match these filters.")).to_be_visible()
    page.get_by_label("Show").select_option("archived")
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Restore client").click()
    expect(page.get_by_role("button", name="Archive client")).to_be_visible()
    assert not _clients_with_tax_id(live_engine, tax_id)[0].is_archived


def test_contacts_and_addresses_are_edited_on_the_client_page(page, live_engine):
    name = _unique("Contact Works")
    client_id = _make_client(live_engine, name, _unique("FR"))
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/clients/{client_id}")

    page.get_by_role("button", name="Add contact").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("Nina New")
    dialog.get_by_label("Email", exact=True).fill("nina@")
    dialog.get_by_role("button", name="Save contact").click()
    expect(error_next_to(dialog, "Email")).to_be_visible()
    dialog.get_by_label("Email", exact=True).fill("nina@example.com")
    dialog.get_by_role("button", name="Save contact").click()
    nina = page.get_by_role("row").filter(has_text="Nina New")
    olga = page.get_by_role("row").filter(has_text="Olga Office")

    olga.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name", exact=True)).to_have_value("Olga Office")
    dialog.get_by_label("Job title").fill("Office lead")
    dialog.get_by_role("button", name="Save contact").click()
    expect(olga).to_contain_text("Office lead")

    nina.get_by_role("button", name="Make primary").click()
    expect(nina.get_by_text("Primary", exact=True)).to_be_visible()
    expect(olga.get_by_text("Primary", exact=True)).to_have_count(0)

    olga.get_by_role("button", name="Remove").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove contact").click()
    expect(olga).to_have_count(0)
    with Session(live_engine) as db:
        contacts = {c.name: c.is_primary for c in db.exec(select(Contact).where(Contact.client_id == client_id))}
    assert contacts == {"Nina New": True}

    page.get_by_role("button", name="Edit billing address").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Street and number").fill("")
    dialog.get_by_role("button", name="Save address").click()
    expect(error_next_to(dialog, "Street and number")).to_contain_text("required")
    dialog.get_by_label("Street and number").fill("Neue Straße 5")
    dialog.get_by_role("button", name="Save address").click()
    expect(page.get_by_label("Billing address").get_by_text("Neue Straße 5")).to_be_visible()
    with Session(live_engine) as db:
        [address] = db.exec(select(Address).where(Address.client_id == client_id))
    assert (address.line1, address.city) == ("Neue Straße 5", "Berlin")


def test_viewer_reads_clients_but_sees_no_write_buttons(page, live_engine):
    name = _unique("Read Only AG")
    client_id = _make_client(live_engine, name, _unique("AT"))
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/clients")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("link", name="New client")).to_have_count(0)

    page.goto(f"/clients/{client_id}")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text("Olga Office")).to_be_visible()
    for button in ("Edit details", "Archive client", "Add contact", "Edit billing address"):
        expect(page.get_by_role("button", name=button)).to_have_count(0)
    expect(page.get_by_role("link", name="New invoice")).to_have_count(0)

    page.goto("/clients/new")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


@pytest.mark.parametrize("client_id", ["999999999", "abc", "0"])
def test_an_unknown_client_is_not_found(page, client_id):
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/clients/{client_id}")
    expect(page.get_by_text("Client not found")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the client list")).to_be_visible()


def test_the_list_pages_searches_filters_and_sorts_on_the_server(page, live_engine):
    tag = uuid.uuid4().hex[:8]
    for number in range(26):
        _make_client(live_engine, f"Paged {tag} {number:02}", f"PG-{tag}-{number:02}")
    with Session(live_engine) as db:
        actor = db.exec(select(User).where(User.email == "viewer@example.com")).one()
        _, overdue_count = clients_page(db, actor=actor, has_overdue=True)
        [top], _ = clients_page(db, actor=actor, sort="-outstanding", limit=1)
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/clients")

    page.get_by_label("Search clients").fill(f"Paged {tag}")
    expect(page.get_by_text("1–25 of 26", exact=True)).to_be_visible()
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_text("26–26 of 26", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"Paged {tag} 25")).to_be_visible()

    page.get_by_label("Search clients").fill("")
    click_on(page.get_by_label("Has overdue invoices"))
    expect(page.get_by_text(re.compile(rf"^1–\d+ of {overdue_count}$"))).to_be_visible()
    click_on(page.get_by_label("Has overdue invoices"), checked=False)
    page.get_by_label("Sort by").select_option(label="Outstanding high–low")
    expect(page.get_by_role("row").nth(1).get_by_role("link").first).to_have_text(top.name)
