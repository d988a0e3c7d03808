"""/clients over HTTP: contacts, addresses, archive, the list's filters, bad input, roles."""

import uuid

import pytest

from billing_app.models.users import Role
from tests.api.conftest import assert_error

CLIENTS = "/api/v1/clients"
AMOUNT_AS_TEXT = "Send amounts as strings"


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def client_body(**changes) -> dict:
    """A client with two contacts (the second one primary) and a billing address; a change of
    `...` leaves the field out."""
    body = {
        "name": unique("Northwind Traders"), "kind": "company", "email": "ap@northwind.example",
        "tax_id": unique("DE").replace(" ", ""), "currency": "EUR", "payment_terms_days": 14,
        "credit_limit": "5000.00",
        "contacts": [{"name": "Anna Accounts", "email": "anna@northwind.example"},
                     {"name": "Bob Boss", "job_title": "CFO", "is_primary": True}],
        "addresses": [{"kind": "billing", "line1": "1 Harbour Road", "postal_code": "20457",
                       "city": "Hamburg", "country": "de"}],
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def create_client(api, headers, **changes) -> dict:
    response = api.post(CLIENTS, headers=headers, json=client_body(**changes))
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


def test_a_client_is_created_with_contacts_and_addresses(api, accountant):
    body = client_body()
    created = create_client(api, accountant, name=body["name"])

    assert created["name"] == body["name"] and created["currency"] == "EUR"
    assert created["credit_limit"] == "5000.00" and created["is_archived"] is False
    assert [(c["name"], c["is_primary"]) for c in created["contacts"]] == [
        ("Bob Boss", True), ("Anna Accounts", False)]
    assert created["addresses"] == [{
        "kind": "billing", "line1": "1 Harbour Road", "line2": None, "postal_code": "20457",
        "city": "Hamburg", "region": None, "country": "DE"}]
    assert created["figures"] == {
        "currency": "EUR", "total_invoiced": "0.00", "paid": "0.00", "outstanding": "0.00",
        "overdue": "0.00", "credit_available": "5000.00", "average_days_to_pay": None}
    assert api.get(f"{CLIENTS}/{created['id']}", headers=accountant).json() == created


def test_left_out_currency_and_terms_come_from_the_company(api, accountant, headers):
    company = api.get("/api/v1/company", headers=headers[Role.ADMIN]).json()
    created = create_client(api, accountant, currency=..., payment_terms_days=...,
                            credit_limit=..., contacts=..., addresses=...)
    assert created["currency"] == company["default_currency"]
    assert created["payment_terms_days"] == company["default_payment_terms_days"]
    assert created["credit_limit"] is None and created["contacts"] == []


def test_a_client_is_changed_archived_and_restored(api, accountant, headers):
    client = create_client(api, accountant)
    url = f"{CLIENTS}/{client['id']}"

    changed = api.patch(url, headers=accountant,
                        json={"credit_limit": "2500.5", "phone": "+49 40 1"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["credit_limit"] == "2500.50" and changed.json()["phone"] == "+49 40 1"
    assert changed.json()["name"] == client["name"]
    for loosened in ("7500.00", None):  # the admin-only override, by other means
        assert_error(api.patch(url, headers=accountant, json={"credit_limit": loosened}), 403,
                     "forbidden")
    cleared = api.patch(url, headers=headers[Role.ADMIN], json={"credit_limit": None}).json()
    assert cleared["credit_limit"] is None and cleared["figures"]["credit_available"] is None

    archived = api.post(f"{url}/archive", headers=accountant)
    assert archived.status_code == 200 and archived.json()["is_archived"] is True
    assert_error(api.post(f"{url}/archive", headers=accountant), 409, "conflict")

    def listed(archived: str) -> list[int]:
        page = api.get(CLIENTS, headers=accountant, params={"search": client["name"],
                                                            "archived": archived}).json()
        return [item["id"] for item in page["items"]]

    assert listed("false") == [] and listed("true") == listed("all") == [client["id"]]
    restored = api.post(f"{url}/restore", headers=accountant)
    assert restored.status_code == 200 and restored.json()["is_archived"] is False
    assert listed("false") == [client["id"]]


def test_the_list_searches_filters_sorts_and_pages(api, accountant):
    tag = uuid.uuid4().hex[:8]
    made = [create_client(api, accountant, name=f"{letter} Paging {tag}", kind=kind)
            for letter, kind in (("A", "company"), ("B", "individual"), ("C", "company"))]

    def page(**params) -> dict:
        response = api.get(CLIENTS, headers=accountant, params={"search": tag, **params})
        assert response.status_code == 200, response.text
        return response.json()

    everything = page()
    assert everything["total"] == 3 and [i["id"] for i in everything["items"]] == [
        c["id"] for c in made]
    assert everything["items"][0] == {
        "id": made[0]["id"], "name": made[0]["name"], "kind": "company",
        "email": "ap@northwind.example", "tax_id": made[0]["tax_id"], "currency": "EUR",
        "is_archived": False, "outstanding": "0.00", "overdue": "0.00"}
    assert [i["name"][0] for i in page(sort="-name")["items"]] == ["C", "B", "A"]
    assert [i["id"] for i in page(kind="individual")["items"]] == [made[1]["id"]]
    assert page(has_overdue="true")["total"] == 0 and page(has_overdue="false")["total"] == 3
    second = page(offset=1, limit=1)
    assert (second["total"], second["offset"], second["limit"]) == (3, 1, 1)
    assert [i["id"] for i in second["items"]] == [made[1]["id"]]
    assert page(search="anna@northwind")["total"] >= 3  # a contact's email matches too


def test_contacts_are_added_changed_made_primary_and_removed(api, accountant):
    client = create_client(api, accountant)
    contacts = f"{CLIENTS}/{client['id']}/contacts"
    bob = next(c for c in client["contacts"] if c["is_primary"])

    added = api.post(contacts, headers=accountant, json={"name": "Cara Clerk", "phone": "123"})
    assert added.status_code == 201, added.text
    cara = added.json()
    assert cara["is_primary"] is False and cara["phone"] == "123"

    changed = api.patch(f"{contacts}/{cara['id']}", headers=accountant,
                        json={"job_title": "Payables"})
    assert changed.status_code == 200 and changed.json()["job_title"] == "Payables"
    assert changed.json()["name"] == "Cara Clerk"

    primary = api.post(f"{contacts}/{cara['id']}/make-primary", headers=accountant)
    assert primary.status_code == 200 and primary.json()["is_primary"] is True
    detail = api.get(f"{CLIENTS}/{client['id']}", headers=accountant).json()
    assert detail["contacts"][0]["id"] == cara["id"]

    assert_error(api.delete(f"{contacts}/{cara['id']}", headers=accountant), 409, "conflict")
    removed = api.delete(f"{contacts}/{cara['id']}", headers=accountant,
                         params={"new_primary_id": bob["id"]})
    assert removed.status_code == 204, removed.text
    detail = api.get(f"{CLIENTS}/{client['id']}", headers=accountant).json()
    assert cara["id"] not in [c["id"] for c in detail["contacts"]]
    assert detail["contacts"][0] == {**bob, "is_primary": True}


def test_addresses_are_set_replaced_and_removed(api, accountant):
    client = create_client(api, accountant)
    shipping = f"{CLIENTS}/{client['id']}/addresses/shipping"

    first = api.put(shipping, headers=accountant, json={"line1": "Dock 4", "country": "NL"})
    assert first.status_code == 200, first.text
    assert first.json()["kind"] == "shipping" and first.json()["city"] is None
    second = api.put(shipping, headers=accountant,
                     json={"line1": "Dock 5", "city": "Rotterdam", "country": "nl"})
    assert second.json()["line1"] == "Dock 5" and second.json()["country"] == "NL"
    detail = api.get(f"{CLIENTS}/{client['id']}", headers=accountant).json()
    assert [(a["kind"], a["line1"]) for a in detail["addresses"]] == [
        ("billing", "1 Harbour Road"), ("shipping", "Dock 5")]

    assert api.delete(shipping, headers=accountant).status_code == 204
    assert_error(api.delete(shipping, headers=accountant), 404, "not_found")


def test_a_new_client_has_no_invoices(api, accountant):
    client = create_client(api, accountant)
    page = api.get(f"{CLIENTS}/{client['id']}/invoices", headers=accountant)
    assert page.status_code == 200, page.text
    assert page.json() == {"items": [], "total": 0, "offset": 0, "limit": 25, "sums": []}


@pytest.mark.parametrize("changes,field,message", [
    ({"credit_limit": 5000}, "credit_limit", AMOUNT_AS_TEXT),
    ({"credit_limit": 5000.5}, "credit_limit", AMOUNT_AS_TEXT),
    ({"credit_limit": "abc"}, "credit_limit", "not an amount"),
    ({"credit_limit": "-1"}, "credit_limit", "negative"),
    ({"credit_limit": "10.005"}, "credit_limit", "decimals"),
    ({"name": ...}, "name", None),
    ({"name": "  "}, "name", "required"),
    ({"currency": "XYZ"}, "currency", None),
    ({"kind": "alien"}, "kind", None),
    ({"payment_terms_days": 400}, "payment_terms_days", None),
    ({"email": "not-an-email"}, "email", None),
    ({"color": "blue"}, "color", None),
    ({"contacts": [{"name": "X", "email": "nope"}]}, "contacts.0.email", None),
    ({"contacts": [{"email": "x@example.com"}]}, "contacts.0.name", None),
    ({"contacts": [{"name": "X", "is_primary": True}, {"name": "Y", "is_primary": True}]},
     "contacts", "only one"),
    ({"addresses": [{"kind": "billing", "line1": "x", "country": "ZZ"}]},
     "addresses.0.country", None),
    ({"addresses": [{"kind": "billing", "line1": "a", "country": "DE"},
                    {"kind": "billing", "line1": "b", "country": "DE"}]}, "addresses", None),
])
def test_bad_client_input_is_a_readable_422(api, accountant, changes, field, message):
    response = api.post(CLIENTS, headers=accountant, json=client_body(**changes))
    error = assert_error(response, 422, "validation_error", field)
    if message:
        assert message in error["message"]


@pytest.mark.parametrize("method,path,body,status,code,field", [
    ("GET", f"{CLIENTS}/999999", None, 404, "not_found", None),
    ("GET", f"{CLIENTS}/{2**31}", None, 422, "validation_error", "client_id"),
    ("GET", f"{CLIENTS}/abc", None, 422, "validation_error", "client_id"),
    ("PATCH", f"{CLIENTS}/999999", {"name": "X"}, 404, "not_found", None),
    ("PATCH", f"{CLIENTS}/1", {"credit_limit": 12}, 422, "validation_error", "credit_limit"),
    ("PATCH", f"{CLIENTS}/1", {"name": None}, 422, "validation_error", None),
    ("POST", f"{CLIENTS}/999999/archive", None, 404, "not_found", None),
    ("POST", f"{CLIENTS}/999999/contacts", {"name": "X"}, 404, "not_found", None),
    ("PATCH", f"{CLIENTS}/1/contacts/999999", {"name": "X"}, 404, "not_found", None),
    ("DELETE", f"{CLIENTS}/1/contacts/{10**12}", None, 422, "validation_error", "contact_id"),
    ("PUT", f"{CLIENTS}/1/addresses/holiday", {"line1": "x", "country": "DE"}, 422,
     "validation_error", "kind"),
    ("PUT", f"{CLIENTS}/1/addresses/billing", {"country": "DE"}, 422, "validation_error",
     "line1"),
    ("GET", f"{CLIENTS}?sort=colour", None, 422, "validation_error", "sort"),
    ("GET", f"{CLIENTS}?kind=alien", None, 422, "validation_error", "kind"),
    ("GET", f"{CLIENTS}?archived=maybe", None, 422, "validation_error", "archived"),
    ("GET", f"{CLIENTS}?limit=0", None, 422, "validation_error", "limit"),
    ("GET", f"{CLIENTS}?limit=201", None, 422, "validation_error", "limit"),
    ("GET", f"{CLIENTS}?search=%00", None, 422, "validation_error", None),
    ("GET", f"{CLIENTS}/999999/invoices", None, 404, "not_found", None),
])
def test_bad_client_requests_get_the_error_format(api, accountant, method, path, body, status,
                                                  code, field):
    assert_error(api.request(method, path, headers=accountant, json=body), status, code, field)


def test_an_archived_client_takes_no_new_invoice(api, accountant):
    client = create_client(api, accountant)
    api.post(f"{CLIENTS}/{client['id']}/archive", headers=accountant)
    response = api.post("/api/v1/invoices", headers=accountant, json={
        "client_id": client["id"], "issue_date": "2031-01-10"})
    error = assert_error(response, 422, "validation_error", "client_id")
    assert "archived" in error["message"]


CLIENT_WRITES = [
    ("POST", CLIENTS, {"name": "X"}),
    ("PATCH", f"{CLIENTS}/1", {"name": "X"}),
    ("POST", f"{CLIENTS}/1/archive", None),
    ("POST", f"{CLIENTS}/1/restore", None),
    ("POST", f"{CLIENTS}/1/contacts", {"name": "X"}),
    ("PATCH", f"{CLIENTS}/1/contacts/1", {"name": "X"}),
    ("DELETE", f"{CLIENTS}/1/contacts/1", None),
    ("POST", f"{CLIENTS}/1/contacts/1/make-primary", None),
    ("PUT", f"{CLIENTS}/1/addresses/billing", {"line1": "x", "country": "DE"}),
    ("DELETE", f"{CLIENTS}/1/addresses/billing", None),
]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLIENT])
@pytest.mark.parametrize("method,path,body", CLIENT_WRITES)
def test_viewers_and_client_accounts_cannot_change_clients(api, headers, role, method, path,
                                                           body):
    assert_error(api.request(method, path, headers=headers[role], json=body), 403, "forbidden")


def test_viewers_read_clients_and_client_accounts_do_not(api, accountant, headers):
    client = create_client(api, accountant)
    for path in (CLIENTS, f"{CLIENTS}/{client['id']}", f"{CLIENTS}/{client['id']}/invoices"):
        assert api.get(path, headers=headers[Role.VIEWER]).status_code == 200
        assert_error(api.get(path, headers=headers[Role.CLIENT]), 403, "forbidden")
        assert_error(api.get(path), 401, "not_authenticated")


def test_a_second_client_of_the_same_name_or_tax_id_needs_allow_duplicate(api, accountant):
    first = create_client(api, accountant)
    for same, field in [({"name": f"  {first['name'].upper()} "}, "name"),
                        ({"tax_id": first["tax_id"].lower()}, "tax_id")]:
        refused = api.post(CLIENTS, headers=accountant, json=client_body(**same))
        error = assert_error(refused, 409, "possible_duplicate", field)
        assert f"client #{first['id']}" in error["message"]
    allowed = api.post(CLIENTS, headers=accountant, params={"allow_duplicate": "true"},
                       json=client_body(name=first["name"]))
    assert allowed.status_code == 201 and allowed.json()["id"] != first["id"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"payment_terms_days": "ten"}, "payment_terms_days", "Payment terms (days): Enter a whole number."),
    ({"name": ""}, "name", "Name is required."),
    ({"addresses": [{"kind": "billing", "country": "DE"}]}, "addresses.0.line1",
     "Addresses #1 street and number is required."),
])
def test_bad_input_is_answered_in_the_words_the_forms_use(api, accountant, changes, field, message):
    refused = api.post(CLIENTS, headers=accountant, json=client_body(**changes))
    assert assert_error(refused, 422, "validation_error", field)["message"] == message
