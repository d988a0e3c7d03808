"""PDF downloads over HTTP: the PDF says what the API says, and the invoice's read rules
apply (a client user gets its own documents; another client's are "not found")."""

import re
import uuid
from datetime import date
from decimal import Decimal

import pytest

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import session_scope
from billing_app.models.company import TaxRate
from billing_app.models.users import Role
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.payments import credit_note_issue, payment_record
from tests.api.conftest import assert_error, bearer, new_user, token_pair
from tests.support.documents import pdf_text
from tests.support.factories import PASSWORD, make_client

DAY = date(2034, 2, 1)
LINES = [("Strategy workshop", "2", "950.00", "percent", "10"),
         ("Implementation", "12.5", "85.00", None, None),
         ("Licence", "3", "199.99", "amount", "20.00")]


@pytest.fixture(scope="module")
def papers(api_database):
    """An issued invoice of a fresh client with a payment and a credit note, committed."""
    with session_scope() as session:
        rate = TaxRate(name=f"VAT 19% {uuid.uuid4().hex[:8]}", rate=Decimal("19"))
        client = make_client(session, name=f"API PDF client {uuid.uuid4().hex[:8]}")
        session.add(rate)
        session.flush()
        lines = [{"description": text, "quantity": quantity, "unit_price": price,
                  "discount_type": kind, "discount_value": value, "tax_rate_ids": [rate.id]}
                 for text, quantity, price, kind, value in LINES]
        draft = invoice_create_draft(session, actor=SYSTEM_ACTOR, data={
            "client_id": client.id, "issue_date": DAY, "lines": lines})
        invoice = invoice_issue(session, actor=SYSTEM_ACTOR, invoice_id=draft.id, today=DAY)
        payment = payment_record(session, actor=SYSTEM_ACTOR, today=DAY, send_receipt=False, data={
            "client_id": client.id, "payment_date": DAY, "amount": "500.00",
            "allocations": [{"invoice_id": invoice.id, "amount": "500.00"}]})
        note = credit_note_issue(session, actor=SYSTEM_ACTOR, invoice_id=invoice.id, today=DAY,
                                 data={"amount": "100.00", "reason": "Goodwill"})
        return {"invoice": invoice.id, "payment": payment.id, "note": note.id,
                "client": client.id, "number": invoice.number}


def _amount(text: str) -> Decimal:
    """"€1,710.00" or "-€500.00" as a Decimal."""
    return Decimal(re.sub(r"[^0-9.\-]", "", text))


def _money_after(label: str, text: str) -> Decimal:
    match = re.search(rf"^{re.escape(label)} (-?€[\d,]+\.\d\d)$", text, re.MULTILINE)
    assert match, f"{label!r} not found in the PDF"
    return _amount(match.group(1))


def test_the_pdf_says_what_the_api_says(api, headers, papers):
    shown = api.get(f"/api/v1/invoices/{papers['invoice']}", headers=headers[Role.VIEWER]).json()
    response = api.get(f"/api/v1/invoices/{papers['invoice']}/pdf", headers=headers[Role.VIEWER])

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="invoice-{shown["number"]}.pdf"' in response.headers["content-disposition"]
    text = pdf_text(response.content)
    assert f"Number {shown['number']}" in text
    rows = re.findall(r"^(\d+) (.+) (€[\d,]+\.\d\d)$", text, re.MULTILINE)
    assert [_amount(net) for _, _, net in rows] == [Decimal(line["net"]) for line in shown["lines"]]
    assert [description.startswith(line["description"]) for (_, description, _), line
            in zip(rows, shown["lines"])] == [True] * len(LINES)
    assert _money_after("Subtotal", text) == Decimal(shown["subtotal"])
    assert _money_after("Tax total", text) == Decimal(shown["tax_total"])
    assert _money_after("Total", text) == Decimal(shown["total"])
    assert _money_after("Paid", text) == -Decimal(shown["amount_paid"])
    assert _money_after("Credited", text) == -Decimal(shown["amount_credited"])
    assert _money_after("Amount due", text) == Decimal(shown["balance_due"])


def test_staff_download_every_kind(api, headers, papers):
    for path in [f"/api/v1/invoices/{papers['invoice']}/pdf",
                 f"/api/v1/credit-notes/{papers['note']}/pdf",
                 f"/api/v1/payments/{papers['payment']}/receipt.pdf",
                 f"/api/v1/clients/{papers['client']}/statement.pdf"
                 "?date_from=2034-01-01&date_to=2034-12-31"]:
        response = api.get(path, headers=headers[Role.VIEWER])
        assert response.status_code == 200, (path, response.text)
        assert response.content.startswith(b"%PDF-")
        assert response.headers["cache-control"] == "private, no-store"


def test_a_client_user_gets_its_own_and_not_found_for_another_clients(api, papers):
    own = new_user(Role.CLIENT, client_id=papers["client"])
    other = new_user(Role.CLIENT)
    paths = [f"/api/v1/invoices/{papers['invoice']}/pdf",
             f"/api/v1/credit-notes/{papers['note']}/pdf",
             f"/api/v1/payments/{papers['payment']}/receipt.pdf",
             f"/api/v1/clients/{papers['client']}/statement.pdf"
             "?date_from=2034-01-01&date_to=2034-12-31"]
    own_headers = bearer(token_pair(api, own.email)["access_token"])
    other_headers = bearer(token_pair(api, other.email)["access_token"])
    for path in paths:
        assert api.get(path, headers=own_headers).status_code == 200, path
        assert_error(api.get(path, headers=other_headers), 404, "not_found")


def test_no_token_no_pdf_and_a_bad_period_is_explained(api, headers, papers):
    assert_error(api.get(f"/api/v1/invoices/{papers['invoice']}/pdf"), 401, "not_authenticated")
    response = api.get(f"/api/v1/clients/{papers['client']}/statement.pdf"
                       "?date_from=2034-12-31&date_to=2034-01-01", headers=headers[Role.VIEWER])
    assert_error(response, 422, "validation_error", field="date_from")


def test_the_browser_downloads_with_its_session_cookie(api, papers):
    own = new_user(Role.CLIENT, client_id=papers["client"])
    path = f"/files/invoices/{papers['invoice']}.pdf"
    assert api.get(path).status_code == 401  # no cookie

    signed_in = api.post("/auth/login", data={"email": own.email, "password": PASSWORD})
    assert signed_in.status_code == 303
    response = api.get(path)

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "attachment" in response.headers["content-disposition"]
    other_client_file = api.get("/files/invoices/2000000000.pdf")
    assert other_client_file.status_code == 404
