"""Credit notes by line over HTTP: lines in, lines and tax per rate out, a retried create with
the same Idempotency-Key makes one note, and bad lines are a 422 that writes nothing."""

import uuid

import pytest

from billing_app.models.users import Role
from tests.api.conftest import assert_error
from tests.api.test_catalog_api import create_tax_rate
from tests.api.test_clients_api import create_client
from tests.api.test_invoices_api import create, draft, issue, line

INVOICES = "/api/v1/invoices"


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


@pytest.fixture
def bill(api, headers, accountant) -> dict:
    """3 x 33.33 at 19 % and 2 x 12.99 at 7 %: 99.99 + 19.00 tax, 25.98 + 1.82 tax."""
    standard, reduced = (create_tax_rate(api, headers[Role.ADMIN], rate)["id"]
                         for rate in ("19", "7"))
    client = create_client(api, accountant)
    made = create(api, accountant, draft(
        client["id"], line("Design hours", quantity="3", unit_price="33.33",
                           tax_rate_ids=[standard]),
        line("Printed guides", quantity="2", unit_price="12.99", tax_rate_ids=[reduced])))
    return issue(api, accountant, made["id"])


def test_a_credit_note_by_line_is_made_once_and_lists_its_lines(api, accountant, bill):
    url = f"{INVOICES}/{bill['id']}/credit-notes"
    lines = [item["id"] for item in bill["lines"]]
    body = {"reason": "Returned", "lines": [{"invoice_line_id": lines[0], "quantity": "1"},
                                            {"invoice_line_id": lines[1], "quantity": "1.5"}]}
    keyed = {**accountant, "Idempotency-Key": str(uuid.uuid4())}
    first = api.post(url, headers=keyed, json=body)
    again = api.post(url, headers=keyed, json=body)
    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"

    note = first.json()
    assert (note["subtotal"], note["tax_total"], note["total"]) == ("52.82", "7.69", "60.51")
    assert [(n["description"], n["quantity"], n["unit_price"], n["net"]) for n in note["lines"]] == [
        ("Design hours", "1", "33.33", "33.33"), ("Printed guides", "1.5", "12.99", "19.49")]
    assert [(t["rate"], t["base"], t["amount"]) for t in note["taxes"]] == [
        ("7", "19.49", "1.36"), ("19", "33.33", "6.33")]
    assert api.get(url, headers=accountant).json() == [note]
    after = api.get(f"{INVOICES}/{bill['id']}", headers=accountant).json()
    assert (after["amount_credited"], after["balance_due"]) == ("60.51", "86.28")


@pytest.mark.parametrize("case,field,words", [
    ("too-many", "lines.0.quantity", "at most 3 of"),
    ("zero", "lines.0.quantity", "more than 0"),
    ("none", "lines", "at least one line"),
    ("foreign-line", "lines.0.invoice_line_id", "not a line of this invoice"),
    ("float", "lines.0.quantity", "as text"),
    ("amount-and-lines", "amount", "not both"),
])
def test_bad_lines_are_a_readable_422_and_write_nothing(api, accountant, bill, case, field, words):
    first = bill["lines"][0]["id"]
    lines = {"too-many": [{"invoice_line_id": first, "quantity": "3.5"}],
             "zero": [{"invoice_line_id": first, "quantity": "0"}],
             "none": [],
             "foreign-line": [{"invoice_line_id": 999999, "quantity": "1"}],
             "float": [{"invoice_line_id": first, "quantity": 1.5}],
             "amount-and-lines": [{"invoice_line_id": first, "quantity": "1"}]}[case]
    body = {"reason": "x", "lines": lines, **({"amount": "1.00"} if case == "amount-and-lines" else {})}
    url = f"{INVOICES}/{bill['id']}/credit-notes"
    error = assert_error(api.post(url, headers=accountant, json=body), 422, "validation_error", field)
    assert words in error["message"]
    assert api.get(url, headers=accountant).json() == []
