"""/invoices over HTTP: drafts, totals, issue, numbers, the list, cancel, bad input, roles."""

import re

import pytest

from billing_app.db import session_scope
from billing_app.domain.creditor_reference import is_valid
from billing_app.models.users import Role
from billing_app.queries.company import company_today
from tests.api.conftest import assert_error
from tests.api.test_catalog_api import create_tax_rate
from tests.api.test_clients_api import create_client

INVOICES = "/api/v1/invoices"
ISSUE_DATE = "2031-03-03"
NUMBER = re.compile(r"^INV-2031-\d{5}$")  # the company's default pattern INV-{YYYY}-{SEQ:05}
AMOUNT_AS_TEXT = "Send amounts as strings"


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


@pytest.fixture
def rates(api, headers) -> tuple[int, int]:
    """Ids of a 19% and a 7% rate."""
    return tuple(create_tax_rate(api, headers[Role.ADMIN], rate)["id"] for rate in ("19", "7"))


@pytest.fixture
def client(api, accountant) -> dict:
    return create_client(api, accountant)


def line(description: str = "Consulting", quantity: str = "1", unit_price: str = "100.00",
         tax_rate_ids=(), **extra) -> dict:
    return {"description": description, "quantity": quantity, "unit_price": unit_price,
            "tax_rate_ids": list(tax_rate_ids), **extra}


def draft(client_id: int, *lines: dict, **extra) -> dict:
    return {"client_id": client_id, "issue_date": ISSUE_DATE, "lines": list(lines), **extra}


def three_lines(standard: int, reduced: int) -> list[dict]:
    return [
        line("Consulting", "3", "120.00", [standard]),
        line("Books", "2", "15.50", [reduced], discount_type="percent", discount_value="10"),
        line("Hosting", "1.5", "40", [standard]),
    ]


# Worked by hand: lines 360.00 + (31.00 - 3.10) + 60.00 = 447.90; 10% off = 44.79, spread
# over the rates as 42.00 (19%) and 2.79 (7%): bases 378.00 and 25.11, taxes 71.82 and 1.76.
EXPECTED_TOTALS = {
    "subtotal": "447.90", "discount_total": "44.79", "taxable": "403.11",
    "taxes": [{"rate": "7", "base": "25.11", "amount": "1.76"},
              {"rate": "19", "base": "378.00", "amount": "71.82"}],
    "tax_total": "73.58", "total": "476.69",
}


def create(api, headers, body: dict) -> dict:
    response = api.post(INVOICES, headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def issue(api, headers, invoice_id: int, **body) -> dict:
    response = api.post(f"{INVOICES}/{invoice_id}/issue", headers=headers, json=body or None)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_invoice_goes_from_draft_to_issued_to_cancelled(api, accountant, client, rates):
    standard, reduced = rates
    body = draft(client["id"], *three_lines(standard, reduced), discount_type="percent",
                 discount_value="10", notes="Thanks!")
    invoice = create(api, accountant, body)

    assert {key: invoice[key] for key in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert (invoice["status"], invoice["number"], invoice["currency"]) == ("draft", None, "EUR")
    assert invoice["creditor_reference"] is None  # made from the number, given at issue
    assert invoice["due_date"] == "2031-03-17"  # the client's 14 days
    assert (invoice["balance_due"], invoice["amount_paid"]) == ("476.69", "0.00")
    assert (invoice["discount_type"], invoice["discount_value"]) == ("percent", "10")
    assert [(ln["quantity"], ln["unit_price"], ln["gross"], ln["discount"], ln["net"])
            for ln in invoice["lines"]] == [("3", "120.00", "360.00", "0.00", "360.00"),
                                            ("2", "15.50", "31.00", "3.10", "27.90"),
                                            ("1.5", "40.00", "60.00", "0.00", "60.00")]
    assert [[tax["rate"] for tax in ln["taxes"]] for ln in invoice["lines"]] == [
        ["19"], ["7"], ["19"]]
    assert invoice["client_name"] == client["name"] and invoice["notes"] == "Thanks!"
    assert [(h["from_status"], h["to_status"]) for h in invoice["history"]] == [(None, "draft")]

    issued = issue(api, accountant, invoice["id"])
    assert issued["status"] == "issued" and NUMBER.match(issued["number"]), issued["number"]
    rf = issued["creditor_reference"]  # what the payer quotes: RF, check digits, the number
    assert is_valid(rf) and rf[4:] == re.sub(r"[^A-Z0-9]", "", issued["number"]), rf
    assert {key: issued[key] for key in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert issued["history"][-1]["changed_by"] is not None

    found = api.get(INVOICES, headers=accountant, params={"search": issued["number"]}).json()
    assert found["total"] == 1 and found["items"] == [{
        "id": invoice["id"], "number": issued["number"], "client_name": client["name"],
        "issue_date": ISSUE_DATE, "due_date": "2031-03-17", "status": "issued",
        "currency": "EUR", "total": "476.69", "balance_due": "476.69"}]
    assert found["sums"] == [{"currency": "EUR", "count": 1, "total": "476.69",
                              "balance_due": "476.69"}]
    figures = api.get(f"/api/v1/clients/{client['id']}", headers=accountant).json()["figures"]
    assert (figures["outstanding"], figures["credit_available"]) == ("476.69", "4523.31")

    changed = api.put(f"{INVOICES}/{invoice['id']}", headers=accountant, json=body)
    error = assert_error(changed, 409, "conflict")
    assert error["message"].startswith("An issued invoice cannot be changed")

    cancelled = api.post(f"{INVOICES}/{invoice['id']}/cancel", headers=accountant,
                         json={"reason": "Ordered twice"})
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["balance_due"]) == ("cancelled", "0.00")
    assert cancelled.json()["history"][-1]["note"] == "Ordered twice"
    assert cancelled.json()["number"] == issued["number"]
    assert_error(api.post(f"{INVOICES}/{invoice['id']}/cancel", headers=accountant,
                          json={"reason": "Again"}), 409, "conflict")


def test_the_preview_prices_a_draft_without_saving_it(api, accountant, client, rates):
    body = draft(client["id"], *three_lines(*rates), discount_type="percent", discount_value="10")
    response = api.post(f"{INVOICES}/preview", headers=accountant, json=body)
    assert response.status_code == 200, response.text
    preview = response.json()
    assert {key: preview[key] for key in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert preview["lines"][1] == {"gross": "31.00", "discount": "3.10", "net": "27.90",
                                   "tax": "1.95"}
    listed = api.get(INVOICES, headers=accountant, params={"client_id": client["id"]}).json()
    assert listed["total"] == 0


def test_a_draft_is_replaced_and_copied(api, accountant, client, rates):
    standard, _ = rates
    invoice = create(api, accountant, draft(client["id"], line(tax_rate_ids=[standard])))
    assert invoice["total"] == "119.00"

    replaced = api.put(f"{INVOICES}/{invoice['id']}", headers=accountant, json=draft(
        client["id"], line("Support", "2", "50.005"), line("Travel", "1", "10.00"),
        due_date="2031-04-30", discount_type="amount", discount_value="0.01"))
    assert replaced.status_code == 200, replaced.text
    assert [ln["description"] for ln in replaced.json()["lines"]] == ["Support", "Travel"]
    assert replaced.json()["lines"][0]["unit_price"] == "50.005"
    assert (replaced.json()["subtotal"], replaced.json()["total"]) == ("110.01", "110.00")
    assert replaced.json()["due_date"] == "2031-04-30"

    with session_scope() as session:
        today = company_today(session)
    copied = api.post(f"{INVOICES}/{invoice['id']}/duplicate", headers=accountant)
    assert copied.status_code == 201, copied.text
    copy = copied.json()
    assert copy["id"] != invoice["id"] and copy["status"] == "draft"
    assert copy["issue_date"] == today.isoformat() and copy["total"] == "110.00"
    assert [ln["description"] for ln in copy["lines"]] == ["Support", "Travel"]


def test_issuing_over_the_credit_limit_needs_an_admin(api, accountant, headers, rates):
    standard, _ = rates
    client = create_client(api, accountant, credit_limit="100.00")
    invoice = create(api, accountant, draft(client["id"], line(tax_rate_ids=[standard])))
    url = f"{INVOICES}/{invoice['id']}/issue"

    refused = api.post(url, headers=accountant, json={"override_credit_limit": False})
    error = assert_error(refused, 409, "credit_limit_exceeded")
    assert "19.00" in error["message"] and "100.00" in error["message"]  # over by, limit
    assert "119.00" in error["message"]
    assert_error(api.post(url, headers=accountant, json={"override_credit_limit": True}), 403,
                 "forbidden")
    assert api.get(f"{INVOICES}/{invoice['id']}", headers=accountant).json()["status"] == "draft"

    issued = issue(api, headers[Role.ADMIN], invoice["id"], override_credit_limit=True)
    assert issued["status"] == "issued" and NUMBER.match(issued["number"])


def test_a_draft_without_lines_cannot_be_issued(api, accountant, client):
    invoice = create(api, accountant, draft(client["id"]))
    assert invoice["total"] == "0.00" and invoice["lines"] == []
    response = api.post(f"{INVOICES}/{invoice['id']}/issue", headers=accountant)
    assert_error(response, 422, "validation_error", "lines")


def test_the_list_filters_and_sums_per_currency(api, accountant, client, rates):
    standard, _ = rates
    eur = issue(api, accountant, create(api, accountant, draft(
        client["id"], line(tax_rate_ids=[standard])))["id"])
    usd = issue(api, accountant, create(api, accountant, draft(
        client["id"], line(unit_price="50.00"), currency="USD", issue_date="2031-05-01"))["id"])
    late = issue(api, accountant, create(api, accountant, draft(
        client["id"], line(unit_price="10.00"), issue_date="2020-01-06"))["id"])
    unissued = create(api, accountant, draft(client["id"], line(unit_price="1.00")))
    for posted in (eur, usd):  # delivered by post; late was only issued
        response = api.post(f"{INVOICES}/{posted['id']}/mark-sent", headers=accountant)
        assert response.status_code == 200 and response.json()["status"] == "sent", response.text

    def ids(**params) -> list[int]:
        response = api.get(INVOICES, headers=accountant,
                           params={"client_id": client["id"], **params})
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    everything = api.get(INVOICES, headers=accountant, params={"client_id": client["id"]}).json()
    assert everything["total"] == 4
    assert everything["sums"] == [
        {"currency": "EUR", "count": 3, "total": "130.00", "balance_due": "130.00"},
        {"currency": "USD", "count": 1, "total": "50.00", "balance_due": "50.00"}]
    assert late["status"] == "overdue"
    assert ids(overdue="true") == [late["id"]]
    assert set(ids(status=["sent", "overdue"])) == {eur["id"], usd["id"], late["id"]}
    assert ids(status="draft") == [unissued["id"]]
    assert ids(date_from="2031-04-01", date_to="2031-12-31") == [usd["id"]]
    assert ids(sort="total", status="sent") == [usd["id"], eur["id"]]
    newest_first = [usd["id"], unissued["id"], eur["id"], late["id"]]  # same day: newer id first
    assert ids(sort="-issue_date") == newest_first
    assert ids(sort="-issue_date", offset=1, limit=2) == newest_first[1:3]
    client_page = api.get(f"/api/v1/clients/{client['id']}/invoices", headers=accountant).json()
    assert client_page["total"] == 4 and client_page["sums"] == everything["sums"]


def _body_with(client_id: int, rate_ids: tuple[int, int], retired_id: int, case: str) -> dict:
    """A draft that is wrong in one way."""
    standard, reduced = rate_ids
    ok = line(tax_rate_ids=[standard])
    cases = {
        "negative-quantity": {"lines": [{**ok, "quantity": "-1"}]},
        "zero-quantity": {"lines": [{**ok, "quantity": "0"}]},
        "quantity-as-number": {"lines": [{**ok, "quantity": 2}]},
        "price-as-number": {"lines": [{**ok, "unit_price": 10.5}]},
        "price-as-text": {"lines": [{**ok, "unit_price": "abc"}]},
        "price-too-precise": {"lines": [{**ok, "unit_price": "1.00001"}]},
        "price-huge": {"lines": [{**ok, "unit_price": "1e20"}]},
        "line-discount-over-100": {"lines": [{**ok, "discount_type": "percent",
                                              "discount_value": "150"}]},
        "line-discount-over-amount": {"lines": [{**ok, "discount_type": "amount",
                                                 "discount_value": "100.01"}]},
        "discount-over-100": {"discount_type": "percent", "discount_value": "101"},
        "discount-as-number": {"discount_type": "amount", "discount_value": 5},
        "discount-without-type": {"discount_value": "5"},
        "discount-over-total": {"discount_type": "amount", "discount_value": "1000"},
        "unknown-tax-rate": {"lines": [{**ok, "tax_rate_ids": [999999]}]},
        "retired-tax-rate": {"lines": [{**ok, "tax_rate_ids": [retired_id]}]},
        "tax-rate-id-huge": {"lines": [{**ok, "tax_rate_ids": [2**31]}]},
        "same-rate-twice": {"lines": [{**ok, "tax_rate_ids": [reduced, reduced]}]},
        "unknown-product": {"lines": [{**ok, "product_id": 999999}]},
        "no-description": {"lines": [{key: v for key, v in ok.items() if key != "description"}]},
        "unknown-client": {"client_id": 999999},
        "client-id-huge": {"client_id": 2**31},
        "client-id-text": {"client_id": "seven"},
        "no-client": {"client_id": ...},
        "no-issue-date": {"issue_date": ...},
        "impossible-date": {"issue_date": "2031-02-30"},
        "last-possible-date": {"issue_date": "9999-12-31"},
        "due-before-issue": {"due_date": "2031-03-01"},
        "unknown-currency": {"currency": "XYZ"},
        "lines-not-a-list": {"lines": "one"},
        "too-many-lines": {"lines": [ok] * 501},
        "unknown-field": {"colour": "red"},
    }
    body = {**draft(client_id, ok), **cases[case]}
    return {key: value for key, value in body.items() if value is not ...}


BAD_DRAFTS = {
    "negative-quantity": ("lines.0.quantity", "negative"),
    "zero-quantity": ("lines.0.quantity", None),
    "quantity-as-number": ("lines.0.quantity", AMOUNT_AS_TEXT),
    "price-as-number": ("lines.0.unit_price", AMOUNT_AS_TEXT),
    "price-as-text": ("lines.0.unit_price", "not an amount"),
    "price-too-precise": ("lines.0.unit_price", "4 decimal"),
    "price-huge": ("lines.0.unit_price", "too large"),
    "line-discount-over-100": ("lines.0.discount_value", "100%"),
    "line-discount-over-amount": ("lines.0.discount_value", None),
    "discount-over-100": ("discount_value", "100%"),
    "discount-as-number": ("discount_value", AMOUNT_AS_TEXT),
    "discount-without-type": ("discount_value", None),
    "discount-over-total": ("discount_value", None),
    "unknown-tax-rate": ("lines.0.tax_rate_ids", "Unknown tax rate"),
    "retired-tax-rate": ("lines.0.tax_rate_ids", "no longer in use"),
    "tax-rate-id-huge": ("lines.0.tax_rate_ids.0", None),
    "same-rate-twice": ("lines.0.tax_rate_ids", None),
    "unknown-product": ("lines.0.product_id", None),
    "no-description": ("lines.0.description", None),
    "unknown-client": ("client_id", "does not exist"),
    "client-id-huge": ("client_id", None),
    "client-id-text": ("client_id", None),
    "no-client": ("client_id", None),
    "no-issue-date": ("issue_date", None),
    "impossible-date": ("issue_date", None),
    "last-possible-date": ("issue_date", None),
    "due-before-issue": ("due_date", None),
    "unknown-currency": ("currency", None),
    "lines-not-a-list": ("lines", None),
    "too-many-lines": ("lines", None),
    "unknown-field": ("colour", None),
}


@pytest.fixture
def retired_rate(api, headers) -> int:
    admin = headers[Role.ADMIN]
    rate = create_tax_rate(api, admin, "16")
    assert api.post(f"/api/v1/tax-rates/{rate['id']}/deactivate", headers=admin).status_code == 200
    return rate["id"]


@pytest.mark.parametrize("path", [INVOICES, f"{INVOICES}/preview"])
@pytest.mark.parametrize("case", list(BAD_DRAFTS))
def test_bad_drafts_are_a_readable_422(api, accountant, client, rates, retired_rate, path, case):
    response = api.post(path, headers=accountant,
                        json=_body_with(client["id"], rates, retired_rate, case))
    field, message = BAD_DRAFTS[case]
    error = assert_error(response, 422, "validation_error", field)
    if message:
        assert message in error["message"]


def test_the_api_docs_ask_for_amounts_as_strings(api):
    schemas = api.get("/api/openapi.json").json()["components"]["schemas"]
    line = schemas["InvoiceLineBody"]["properties"]
    assert line["quantity"]["type"] == line["unit_price"]["type"] == "string"
    assert {"type": "number"} not in schemas["InvoiceDraftBody"]["properties"]["discount_value"][
        "anyOf"]


def test_a_bad_update_changes_nothing(api, accountant, client, rates, retired_rate):
    invoice = create(api, accountant, draft(client["id"], line()))
    bad = _body_with(client["id"], rates, retired_rate, "unknown-tax-rate")
    assert_error(api.put(f"{INVOICES}/{invoice['id']}", headers=accountant, json=bad), 422,
                 "validation_error")
    assert api.get(f"{INVOICES}/{invoice['id']}", headers=accountant).json() == invoice


@pytest.mark.parametrize("method,path,body,status,code,field", [
    ("GET", f"{INVOICES}/999999", None, 404, "not_found", None),
    ("GET", f"{INVOICES}/{2**31}", None, 422, "validation_error", "invoice_id"),
    ("GET", f"{INVOICES}/-1", None, 422, "validation_error", "invoice_id"),
    ("POST", f"{INVOICES}/999999/issue", None, 404, "not_found", None),
    ("POST", f"{INVOICES}/999999/issue", {"override_credit_limit": "perhaps"}, 422,
     "validation_error", "override_credit_limit"),
    ("POST", f"{INVOICES}/999999/cancel", {"reason": "x"}, 404, "not_found", None),
    ("POST", f"{INVOICES}/1/cancel", {}, 422, "validation_error", "reason"),
    ("POST", f"{INVOICES}/999999/duplicate", None, 404, "not_found", None),
    ("GET", f"{INVOICES}?status=sent&status=lost", None, 422, "validation_error", "status.1"),
    ("GET", f"{INVOICES}?sort=colour", None, 422, "validation_error", "sort"),
    ("GET", f"{INVOICES}?date_from=yesterday", None, 422, "validation_error", "date_from"),
    ("GET", f"{INVOICES}?client_id=abc", None, 422, "validation_error", "client_id"),
    ("GET", f"{INVOICES}?overdue=sometimes", None, 422, "validation_error", "overdue"),
    ("GET", f"{INVOICES}?limit=0", None, 422, "validation_error", "limit"),
    ("GET", f"{INVOICES}?search=%00", None, 422, "validation_error", None),
])
def test_bad_invoice_requests_get_the_error_format(api, accountant, method, path, body, status,
                                                   code, field):
    assert_error(api.request(method, path, headers=accountant, json=body), status, code, field)


def test_cancelling_needs_a_reason(api, accountant, client):
    invoice = create(api, accountant, draft(client["id"], line()))
    response = api.post(f"{INVOICES}/{invoice['id']}/cancel", headers=accountant,
                        json={"reason": "   "})
    assert_error(response, 422, "validation_error", "reason")
    discarded = api.post(f"{INVOICES}/{invoice['id']}/cancel", headers=accountant,
                         json={"reason": "Not needed"})
    assert discarded.status_code == 200 and discarded.json()["number"] is None


INVOICE_WRITES = [
    ("POST", INVOICES, {"client_id": 1, "issue_date": ISSUE_DATE}),
    ("POST", f"{INVOICES}/preview", {"client_id": 1, "issue_date": ISSUE_DATE}),
    ("PUT", f"{INVOICES}/1", {"client_id": 1, "issue_date": ISSUE_DATE}),
    ("POST", f"{INVOICES}/1/issue", None),
    ("POST", f"{INVOICES}/1/cancel", {"reason": "x"}),
    ("POST", f"{INVOICES}/1/duplicate", None),
]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLIENT])
@pytest.mark.parametrize("method,path,body", INVOICE_WRITES)
def test_viewers_and_client_accounts_change_no_invoice(api, headers, role, method, path, body):
    assert_error(api.request(method, path, headers=headers[role], json=body), 403, "forbidden")


@pytest.mark.parametrize("method,path,body", INVOICE_WRITES + [("GET", INVOICES, None),
                                                             ("GET", f"{INVOICES}/1", None)])
def test_invoices_need_a_token(api, method, path, body):
    assert_error(api.request(method, path, json=body), 401, "not_authenticated")


def test_viewers_read_invoices(api, accountant, headers, client):
    invoice = create(api, accountant, draft(client["id"], line()))
    viewer = headers[Role.VIEWER]
    assert api.get(f"{INVOICES}/{invoice['id']}", headers=viewer).json() == invoice
    listed = api.get(INVOICES, headers=viewer, params={"client_id": client["id"]}).json()
    assert [item["id"] for item in listed["items"]] == [invoice["id"]]


@pytest.fixture
def client_account_invoices(api, accountant, accounts) -> dict[str, dict]:
    """An issued invoice and a draft of the client account's own client, and another
    client's issued invoice."""
    own = accounts[Role.CLIENT].client_id
    other = create_client(api, accountant)
    return {
        "own": issue(api, accountant, create(api, accountant, draft(own, line()))["id"]),
        "own_draft": create(api, accountant, draft(own, line())),
        "other": issue(api, accountant, create(api, accountant, draft(other["id"], line()))["id"]),
    }


def test_a_client_account_sees_only_its_own_issued_invoices(api, headers,
                                                             client_account_invoices):
    mine = headers[Role.CLIENT]
    own, own_draft, other = (client_account_invoices[key] for key in ("own", "own_draft", "other"))

    listed = api.get(INVOICES, headers=mine, params={"limit": 200})
    assert listed.status_code == 200, listed.text
    ids = [item["id"] for item in listed.json()["items"]]
    assert own["id"] in ids and own_draft["id"] not in ids and other["id"] not in ids
    assert {item["client_name"] for item in listed.json()["items"]} == {own["client_name"]}
    assert all(item["status"] != "draft" for item in listed.json()["items"])
    sums = listed.json()["sums"]
    assert [s["count"] for s in sums] == [len(ids)]

    other_client = api.get(INVOICES, headers=mine, params={"client_id": other["client_id"],
                                                           "search": other["number"]})
    assert other_client.status_code == 200 and other_client.json()["items"] == []
    searched = api.get(INVOICES, headers=mine, params={"search": own["number"]})
    assert [item["id"] for item in searched.json()["items"]] == [own["id"]]

    detail = api.get(f"{INVOICES}/{own['id']}", headers=mine)
    assert detail.status_code == 200, detail.text
    assert detail.json()["total"] == own["total"] and detail.json()["number"] == own["number"]
    assert all(entry["changed_by"] is None for entry in detail.json()["history"])
    assert_error(api.get(f"{INVOICES}/{other['id']}", headers=mine), 404, "not_found")
    assert_error(api.get(f"{INVOICES}/{own_draft['id']}", headers=mine), 404, "not_found")
    for write in (f"{INVOICES}/{own['id']}/cancel", f"{INVOICES}/{own_draft['id']}/issue"):
        assert_error(api.post(write, headers=mine, json={"reason": "x"}), 403, "forbidden")


def test_a_client_account_filters_within_its_own_invoices(api, headers, client_account_invoices):
    own = client_account_invoices["own"]
    issued = api.get(INVOICES, headers=headers[Role.CLIENT],
                     params={"status": "issued", "limit": 200})
    assert issued.status_code == 200, issued.text
    assert own["id"] in [item["id"] for item in issued.json()["items"]]
    assert {item["status"] for item in issued.json()["items"]} == {"issued"}
    paid = api.get(INVOICES, headers=headers[Role.CLIENT], params={"status": "paid", "limit": 200})
    assert own["id"] not in [item["id"] for item in paid.json()["items"]]

