"""/payments, an invoice's payments and credit notes, client credit and statements over HTTP."""

import pytest
from sqlmodel import func, select

from billing_app.db import session_scope
from billing_app.models.invoices import CreditNote
from billing_app.models.payments import Payment, PaymentAllocation
from billing_app.models.users import Role
from tests.api.conftest import assert_error
from tests.api.test_clients_api import create_client
from tests.api.test_invoices_api import create, draft, issue, line

PAYMENTS = "/api/v1/payments"
INVOICES = "/api/v1/invoices"
PAID_ON = "2031-03-06"  # after the invoices' issue date, before their due date
AMOUNT_AS_TEXT = "Send amounts as strings"


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


@pytest.fixture
def client(api, accountant) -> dict:
    return create_client(api, accountant)


def issued(api, headers, client_id: int, unit_price: str = "100.00", **extra) -> dict:
    return issue(api, headers, create(api, headers, draft(client_id, line(unit_price=unit_price),
                                                          **extra))["id"])


def payment_body(client_id: int, amount: str, *allocations: tuple[dict, str], **extra) -> dict:
    return {"client_id": client_id, "payment_date": PAID_ON, "amount": amount,
            "allocations": [{"invoice_id": invoice["id"], "amount": part}
                            for invoice, part in allocations], **extra}


def record(api, headers, client_id: int, amount: str, *allocations, **extra) -> dict:
    response = api.post(PAYMENTS, headers=headers,
                        json=payment_body(client_id, amount, *allocations, **extra))
    assert response.status_code == 201, response.text
    return response.json()


def invoice(api, headers, invoice_id: int) -> dict:
    return api.get(f"{INVOICES}/{invoice_id}", headers=headers).json()


def standing(api, headers, invoice_id: int) -> tuple[str, str, str]:
    found = invoice(api, headers, invoice_id)
    return found["status"], found["amount_paid"], found["balance_due"]


def credit(api, headers, client_id: int) -> dict:
    response = api.get(f"/api/v1/clients/{client_id}/credit", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def rows_written() -> tuple[int, int, int]:
    """Payments, allocations and credit notes in the server's database."""
    with session_scope() as session:
        return tuple(session.exec(select(func.count()).select_from(model)).one()
                     for model in (Payment, PaymentAllocation, CreditNote))


def test_a_partial_then_a_full_payment_settle_the_invoice(api, accountant, client):
    bill = issued(api, accountant, client["id"])
    first = record(api, accountant, client["id"], "40.00", (bill, "40.00"), reference="Wire 1",
                   method="bank_transfer", notes="First half")

    assert (first["amount"], first["amount_allocated"], first["unallocated"]) == (
        "40.00", "40.00", "0.00")
    assert (first["status"], first["currency"], first["client_name"]) == (
        "completed", "EUR", client["name"])
    assert [(a["invoice_id"], a["invoice_number"], a["amount"]) for a in first["allocations"]] \
        == [(bill["id"], bill["number"], "40.00")]
    assert standing(api, accountant, bill["id"]) == ("partially_paid", "40.00", "60.00")

    second = record(api, accountant, client["id"], "60.00", (bill, "60.00"), method="card")
    assert standing(api, accountant, bill["id"]) == ("paid", "100.00", "0.00")
    on_invoice = api.get(f"{INVOICES}/{bill['id']}/payments", headers=accountant).json()
    assert [(row["payment_id"], row["amount"], row["method"]) for row in on_invoice] == [
        (first["id"], "40.00", "bank_transfer"), (second["id"], "60.00", "card")]
    assert api.get(f"{PAYMENTS}/{first['id']}", headers=accountant).json() == first


def test_the_payment_list_filters(api, accountant, client):
    bill = issued(api, accountant, client["id"])
    wire = record(api, accountant, client["id"], "10.00", (bill, "10.00"), reference="Wire 77")
    cash = record(api, accountant, client["id"], "5.00", method="cash",
                  payment_date="2031-04-01")

    def ids(**params) -> list[int]:
        response = api.get(PAYMENTS, headers=accountant,
                           params={"client_id": client["id"], **params})
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [cash["id"], wire["id"]]  # the latest payment date first
    assert ids(search="wire 77") == [wire["id"]]
    assert ids(method="cash") == [cash["id"]]
    assert ids(date_from="2031-03-10") == [cash["id"]]
    assert ids(date_to="2031-03-10") == [wire["id"]]
    assert ids(status="void") == []
    assert ids(limit=1, offset=1) == [wire["id"]]
    page = api.get(PAYMENTS, headers=accountant, params={"client_id": client["id"], "limit": 1})
    assert (page.json()["total"], page.json()["limit"], len(page.json()["items"])) == (2, 1, 1)
    searched = api.get(PAYMENTS, headers=accountant, params={"search": client["name"]}).json()
    assert {item["client_id"] for item in searched["items"]} == {client["id"]}


def test_an_overpayment_is_credit_applied_to_a_later_invoice(api, accountant, client):
    bill = issued(api, accountant, client["id"])
    paid = record(api, accountant, client["id"], "150.00", (bill, "100.00"))
    assert paid["unallocated"] == "50.00"
    assert credit(api, accountant, client["id"]) == {"EUR": "50.00"}

    later = issued(api, accountant, client["id"], "30.00")
    url = f"{INVOICES}/{later['id']}/apply-credit"
    part = api.post(url, headers=accountant, json={"amount": "10.00"})
    assert part.status_code == 200, part.text
    assert (part.json()["status"], part.json()["balance_due"]) == ("partially_paid", "20.00")
    before = rows_written()
    for bad in ({"amount": 5}, {"amount": "-1.00"}, {"amount": "1.005"}, {"amount": "0"},
                {"amount": "20.01"}):
        assert_error(api.post(url, headers=accountant, json=bad), 422, "validation_error")
    assert rows_written() == before and credit(api, accountant, client["id"]) == {"EUR": "40.00"}
    rest = api.post(url, headers=accountant)
    assert (rest.json()["status"], rest.json()["balance_due"]) == ("paid", "0.00")
    assert credit(api, accountant, client["id"]) == {"EUR": "20.00"}
    assert_error(api.post(url, headers=accountant), 422, "validation_error", "amount")

    empty = issued(api, accountant, client["id"], "30.00", currency="USD")
    error = assert_error(api.post(f"{INVOICES}/{empty['id']}/apply-credit", headers=accountant),
                         409, "conflict")
    assert "no credit in USD" in error["message"]


def test_the_rest_of_a_payment_is_allocated_later_and_taken_back(api, accountant, client):
    payment = record(api, accountant, client["id"], "70.00")
    first, second = (issued(api, accountant, client["id"], "50.00") for _ in range(2))
    url = f"{PAYMENTS}/{payment['id']}/allocations"

    chosen = api.post(url, headers=accountant,
                      json={"allocations": [{"invoice_id": second["id"], "amount": "20.00"}]})
    assert chosen.status_code == 200, chosen.text
    auto = api.post(url, headers=accountant, json={"auto": True}).json()
    assert auto["unallocated"] == "0.00"
    assert {(a["invoice_id"], a["amount"]) for a in auto["allocations"]} == {
        (second["id"], "20.00"), (first["id"], "50.00")}
    assert standing(api, accountant, first["id"])[0] == "paid"
    assert_error(api.post(url, headers=accountant, json={"auto": True}), 409, "conflict")
    assert_error(api.post(url, headers=accountant, json={}), 422, "validation_error",
                 "allocations")

    taken = next(a for a in auto["allocations"] if a["invoice_id"] == first["id"])
    other = record(api, accountant, client["id"], "1.00")
    assert_error(api.delete(f"{PAYMENTS}/{other['id']}/allocations/{taken['id']}",
                            headers=accountant), 404, "not_found")
    removed = api.delete(f"{url}/{taken['id']}", headers=accountant)
    assert removed.status_code == 200, removed.text
    assert [a["invoice_id"] for a in removed.json()["allocations"]] == [second["id"]]
    assert standing(api, accountant, first["id"]) == ("issued", "0.00", "50.00")
    assert credit(api, accountant, client["id"]) == {"EUR": "51.00"}
    assert_error(api.delete(f"{url}/{taken['id']}", headers=accountant), 404, "not_found")


@pytest.mark.parametrize("action,status", [("void", "void"), ("refund", "refunded")])
def test_void_and_refund_reopen_the_invoice(api, accountant, client, action, status):
    bill = issued(api, accountant, client["id"])
    payment = record(api, accountant, client["id"], "120.00", (bill, "100.00"))
    url = f"{PAYMENTS}/{payment['id']}/{action}"

    assert_error(api.post(url, headers=accountant, json={"reason": "  "}), 422,
                 "validation_error", "reason")
    assert_error(api.post(url, headers=accountant, json={}), 422, "validation_error", "reason")
    reversed_ = api.post(url, headers=accountant, json={"reason": "Bounced"})
    assert reversed_.status_code == 200, reversed_.text
    assert (reversed_.json()["status"], reversed_.json()["reversal_reason"]) == (status, "Bounced")
    assert reversed_.json()["reversed_at"] is not None
    assert standing(api, accountant, bill["id"]) == ("issued", "0.00", "100.00")
    assert credit(api, accountant, client["id"]) == {}
    on_invoice = api.get(f"{INVOICES}/{bill['id']}/payments", headers=accountant).json()
    assert [row["payment_status"] for row in on_invoice] == [status]  # kept as history
    assert_error(api.post(url, headers=accountant, json={"reason": "Again"}), 409, "conflict")


def test_credit_notes_lower_the_balance_and_return_what_was_paid_as_credit(
        api, accountant, client):
    bill = issued(api, accountant, client["id"])
    url = f"{INVOICES}/{bill['id']}/credit-notes"
    made = api.post(url, headers=accountant, json={"amount": "30.00", "reason": "Damaged",
                                                   "issue_date": PAID_ON})
    assert made.status_code == 201, made.text
    note = made.json()
    assert note["number"].startswith("CN-") and note["invoice_number"] == bill["number"]
    assert (note["total"], note["issue_date"], note["reason"]) == ("30.00", PAID_ON, "Damaged")
    assert standing(api, accountant, bill["id"]) == ("issued", "0.00", "70.00")

    record(api, accountant, client["id"], "70.00", (bill, "70.00"))
    returned = api.post(url, headers=accountant, json={"amount": "20.00", "reason": "Returned",
                                                       "issue_date": "2031-03-07"})
    assert returned.status_code == 201, returned.text
    assert standing(api, accountant, bill["id"]) == ("paid", "50.00", "0.00")
    assert credit(api, accountant, client["id"]) == {"EUR": "20.00"}
    listed = api.get(url, headers=accountant).json()
    assert [n["total"] for n in listed] == ["20.00", "30.00"]  # newest first

    too_much = api.post(url, headers=accountant, json={"amount": "50.01", "reason": "All"})
    assert "at most €50.00" in assert_error(too_much, 422, "validation_error", "amount")["message"]


def test_the_statement_runs_a_balance_over_the_clients_documents(api, accountant, client):
    bill = issued(api, accountant, client["id"])
    api.post(f"{INVOICES}/{bill['id']}/credit-notes", headers=accountant,
             json={"amount": "10.00", "reason": "Discount", "issue_date": "2031-03-04"})
    record(api, accountant, client["id"], "90.00", (bill, "90.00"), reference="Bank 1")
    url = f"/api/v1/clients/{client['id']}/statement"

    statement = api.get(url, headers=accountant).json()
    assert statement["currency"] == "EUR"
    assert [(e["on"], e["kind"], e["debit"], e["credit"], e["balance"])
            for e in statement["entries"]] == [
        ("2031-03-03", "invoice", "100.00", "0.00", "100.00"),
        ("2031-03-04", "credit_note", "0.00", "10.00", "90.00"),
        (PAID_ON, "payment", "0.00", "90.00", "0.00")]
    assert statement["entries"][2]["document"] == "Bank 1"
    later = api.get(url, headers=accountant, params={"date_from": "2031-03-05"}).json()
    assert (later["opening_balance"], later["closing_balance"], len(later["entries"])) == (
        "90.00", "0.00", 1)
    assert api.get(url, headers=accountant, params={"currency": "USD"}).json()["entries"] == []
    assert_error(api.get(url, headers=accountant, params={"currency": "XYZ"}), 422,
                 "validation_error", "currency")


def _bad_payment(client_id: int, bill: dict, stranger_bill: dict, case: str) -> dict:
    """A payment that is wrong in one way."""
    ok = payment_body(client_id, "50.00", (bill, "50.00"))
    allocation = ok["allocations"][0]
    cases = {
        "amount-as-number": {"amount": 50.0},
        "amount-as-integer": {"amount": 50},
        "negative-amount": {"amount": "-50.00"},
        "zero-amount": {"amount": "0"},
        "too-many-decimals": {"amount": "50.005", "allocations": []},
        "amount-as-text": {"amount": "fifty"},
        "allocation-as-number": {"allocations": [{**allocation, "amount": 50}]},
        "allocation-too-many-decimals": {"allocations": [{**allocation, "amount": "10.005"}]},
        "unknown-invoice": {"allocations": [{**allocation, "invoice_id": 999999}]},
        "another-clients-invoice": {"allocations": [{**allocation,
                                                     "invoice_id": stranger_bill["id"]}]},
        "more-than-the-balance": {"amount": "500.00",
                                  "allocations": [{**allocation, "amount": "100.01"}]},
        "more-than-the-payment": {"amount": "40.00"},
        "same-invoice-twice": {"amount": "100.00", "allocations": [
            {**allocation, "amount": "10.00"}, {**allocation, "amount": "10.00"}]},
        "unknown-client": {"client_id": 999999, "allocations": []},
        "unknown-currency": {"currency": "XYZ"},
        "unknown-method": {"method": "barter"},
        "no-date": {"payment_date": None},
        "unknown-field": {"colour": "red"},
        # only the signed webhook says a gateway confirmed a payment, or claims its id
        "gateway-fields": {"gateway_provider": "stripe", "gateway_transaction_id": "pi_1",
                           "gateway_status": "succeeded"},
    }
    return {**ok, **cases[case]}


BAD_PAYMENTS = {
    "amount-as-number": ("amount", AMOUNT_AS_TEXT),
    "amount-as-integer": ("amount", AMOUNT_AS_TEXT),
    "negative-amount": ("amount", "negative"),
    "zero-amount": ("amount", "more than 0"),
    "too-many-decimals": ("amount", "at most 2 decimals"),
    "amount-as-text": ("amount", "not an amount"),
    "allocation-as-number": ("allocations.0.amount", AMOUNT_AS_TEXT),
    "allocation-too-many-decimals": ("allocations.0.amount", "at most 2 decimals"),
    "unknown-invoice": ("allocations.0.amount", "does not exist"),
    "another-clients-invoice": ("allocations.0.amount", "belongs to another client"),
    "more-than-the-balance": ("allocations.0.amount", "only €100.00 left to pay"),
    "more-than-the-payment": ("allocations", "only €40.00 of the payment"),
    "same-invoice-twice": ("allocations", "same invoice twice"),
    "unknown-client": ("client_id", "does not exist"),
    "unknown-currency": ("currency", None),
    "unknown-method": ("method", None),
    "no-date": ("payment_date", None),
    "unknown-field": ("colour", None),
    "gateway-fields": ("gateway_provider", None),
}


@pytest.mark.parametrize("case", list(BAD_PAYMENTS))
def test_bad_payments_are_a_readable_422_and_write_nothing(api, accountant, client, case):
    bill = issued(api, accountant, client["id"])
    stranger_bill = issued(api, accountant, create_client(api, accountant)["id"])
    before = rows_written()
    response = api.post(PAYMENTS, headers=accountant,
                        json=_bad_payment(client["id"], bill, stranger_bill, case))
    field, message = BAD_PAYMENTS[case]
    error = assert_error(response, 422, "validation_error", field)
    if message:
        assert message in error["message"]
    assert rows_written() == before
    assert standing(api, accountant, bill["id"]) == ("issued", "0.00", "100.00")


@pytest.mark.parametrize("body,field", [
    ({"amount": 10, "reason": "x"}, "amount"),
    ({"amount": "-10.00", "reason": "x"}, "amount"),
    ({"amount": "10.005", "reason": "x"}, "amount"),
    ({"amount": "10.00"}, "reason"),
    ({"amount": "10.00", "reason": "x", "issue_date": "soon"}, "issue_date"),
])
def test_bad_credit_notes_are_a_readable_422_and_write_nothing(api, accountant, client, body,
                                                                field):
    bill = issued(api, accountant, client["id"])
    before = rows_written()
    assert_error(api.post(f"{INVOICES}/{bill['id']}/credit-notes", headers=accountant, json=body),
                 422, "validation_error", field)
    assert rows_written() == before


@pytest.mark.parametrize("method,path,body,status,code,field", [
    ("GET", f"{PAYMENTS}/999999", None, 404, "not_found", None),
    ("GET", f"{PAYMENTS}/{2**31}", None, 422, "validation_error", "payment_id"),
    ("POST", f"{PAYMENTS}/999999/void", {"reason": "x"}, 404, "not_found", None),
    ("POST", f"{PAYMENTS}/999999/refund", {"reason": "x"}, 404, "not_found", None),
    ("POST", f"{PAYMENTS}/999999/allocations", {"auto": True}, 404, "not_found", None),
    ("POST", f"{PAYMENTS}/999999/allocations", {"auto": "maybe"}, 422, "validation_error",
     "auto"),
    ("DELETE", f"{PAYMENTS}/999999/allocations/1", None, 404, "not_found", None),
    ("GET", f"{INVOICES}/999999/payments", None, 404, "not_found", None),
    ("GET", f"{INVOICES}/999999/credit-notes", None, 404, "not_found", None),
    ("POST", f"{INVOICES}/999999/credit-notes", {"amount": "1.00", "reason": "x"}, 404,
     "not_found", None),
    ("POST", f"{INVOICES}/999999/apply-credit", None, 404, "not_found", None),
    ("GET", "/api/v1/clients/999999/credit", None, 404, "not_found", None),
    ("GET", "/api/v1/clients/999999/statement", None, 404, "not_found", None),
    ("GET", f"{PAYMENTS}?status=lost", None, 422, "validation_error", "status"),
    ("GET", f"{PAYMENTS}?method=barter", None, 422, "validation_error", "method"),
    ("GET", f"{PAYMENTS}?date_from=yesterday", None, 422, "validation_error", "date_from"),
    ("GET", f"{PAYMENTS}?limit=201", None, 422, "validation_error", "limit"),
])
def test_bad_payment_requests_get_the_error_format(api, accountant, method, path, body, status,
                                                   code, field):
    assert_error(api.request(method, path, headers=accountant, json=body), status, code, field)


def test_a_draft_takes_no_credit_note_and_no_payment(api, accountant, client):
    unissued = create(api, accountant, draft(client["id"], line()))
    before = rows_written()
    assert_error(api.post(f"{INVOICES}/{unissued['id']}/credit-notes", headers=accountant,
                          json={"amount": "1.00", "reason": "x"}), 409, "conflict")
    assert_error(api.post(PAYMENTS, headers=accountant,
                          json=payment_body(client["id"], "1.00", (unissued, "1.00"))),
                 422, "validation_error", "allocations.0.amount")
    assert rows_written() == before


PAYMENT_WRITES = [
    ("POST", PAYMENTS, {"client_id": 1, "payment_date": PAID_ON, "amount": "1.00"}),
    ("POST", f"{PAYMENTS}/1/allocations", {"auto": True}),
    ("DELETE", f"{PAYMENTS}/1/allocations/1", None),
    ("POST", f"{PAYMENTS}/1/void", {"reason": "x"}),
    ("POST", f"{PAYMENTS}/1/refund", {"reason": "x"}),
    ("POST", f"{INVOICES}/1/credit-notes", {"amount": "1.00", "reason": "x"}),
    ("POST", f"{INVOICES}/1/apply-credit", None),
]
PAYMENT_READS = [
    ("GET", PAYMENTS, None),
    ("GET", f"{PAYMENTS}/{{payment}}", None),
    ("GET", f"{INVOICES}/{{invoice}}/payments", None),
    ("GET", f"{INVOICES}/{{invoice}}/credit-notes", None),
    ("GET", "/api/v1/clients/{client}/credit", None),
    ("GET", "/api/v1/clients/{client}/statement", None),
]


@pytest.fixture
def paid(api, accountant, client) -> dict[str, int]:
    """Ids of a client, an invoice and a payment on it, for the paths above."""
    bill = issued(api, accountant, client["id"])
    payment = record(api, accountant, client["id"], "10.00", (bill, "10.00"))
    return {"client": client["id"], "invoice": bill["id"], "payment": payment["id"]}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLIENT])
@pytest.mark.parametrize("method,path,body", PAYMENT_WRITES)
def test_viewers_and_client_accounts_change_no_payment(api, headers, role, method, path, body):
    before = rows_written()
    assert_error(api.request(method, path, headers=headers[role], json=body), 403, "forbidden")
    assert rows_written() == before


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN, Role.ACCOUNTANT])
@pytest.mark.parametrize("method,path,body", PAYMENT_READS)
def test_staff_read_payments(api, headers, paid, role, method, path, body):
    response = api.request(method, path.format(**paid), headers=headers[role], json=body)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("method,path,body", PAYMENT_READS)
def test_client_accounts_read_no_payments(api, headers, paid, method, path, body):
    assert_error(api.request(method, path.format(**paid), headers=headers[Role.CLIENT],
                             json=body), 403, "forbidden")


@pytest.mark.parametrize("method,path,body", PAYMENT_WRITES + [
    (method, path.format(payment=1, invoice=1, client=1), body)
    for method, path, body in PAYMENT_READS])
def test_payments_need_a_token(api, method, path, body):
    assert_error(api.request(method, path, json=body), 401, "not_authenticated")


def test_admins_record_payments_too(api, headers, client):
    bill = issued(api, headers[Role.ADMIN], client["id"])
    record(api, headers[Role.ADMIN], client["id"], "100.00", auto_allocate=True)
    assert standing(api, headers[Role.ADMIN], bill["id"])[0] == "paid"


def test_the_api_docs_ask_for_amounts_as_strings(api):
    schemas = api.get("/api/openapi.json").json()["components"]["schemas"]
    assert schemas["PaymentBody"]["properties"]["amount"]["type"] == "string"
    assert schemas["AllocationBody"]["properties"]["amount"]["type"] == "string"
    assert [kind["type"] for kind in schemas["CreditNoteBody"]["properties"]["amount"]["anyOf"]] \
        == ["string", "null"]  # or lines, without an amount
    assert {"type": "number"} not in schemas["ApplyCreditBody"]["properties"]["amount"]["anyOf"]
