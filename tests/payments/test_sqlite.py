"""Payments on SQLite (the development database): record, allocate, credit and the list."""

from datetime import date
from decimal import Decimal

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.queries.payments import client_credit, payments_page
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.payments import payment_record, payment_void
from tests.invoices.conftest import draft, line
from tests.invoices.test_sqlite import session  # noqa: F401  (the SQLite session fixture)
from tests.support.factories import make_client

DAY = date(2031, 2, 3)


def test_payments_allocate_keep_credit_and_are_found_on_sqlite(session):  # noqa: F811
    client = make_client(session, name="Wombat Werke")
    made = invoice_create_draft(session, actor=SYSTEM_ACTOR, data=draft(
        client, line(unit_price="100.10"), line(unit_price="200.20"), issue_date=DAY))
    invoice = invoice_issue(session, actor=SYSTEM_ACTOR, invoice_id=made.id, today=DAY)
    payment = payment_record(session, actor=SYSTEM_ACTOR, today=DAY, data={
        "client_id": client.id, "payment_date": DAY, "amount": "350.00", "reference": "Bank 7",
        "auto_allocate": True})
    assert (invoice.status, invoice.balance_due) == ("paid", Decimal("0"))
    assert client_credit(session, client.id) == {"EUR": Decimal("49.70")}
    for search in ("wombat", "bank 7"):
        assert [row.payment.id for row in payments_page(session, actor=SYSTEM_ACTOR,
                                                        search=search).rows] == [payment.id]
    payment_void(session, actor=SYSTEM_ACTOR, payment_id=payment.id, reason="Test", today=DAY)
    assert (invoice.status, invoice.balance_due) == ("issued", Decimal("300.30"))
