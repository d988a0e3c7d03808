"""Gateway webhooks: signatures, and events turned into payments once, on real PostgreSQL."""

import uuid
from decimal import Decimal

import pytest
from sqlmodel import func, select

from billing_app.errors import NotAuthenticated, NotFound, ValidationFailed
from billing_app.models.banking import GatewayEvent
from billing_app.models.payments import Payment, PaymentAllocation
from billing_app.queries.payments import client_credit
from billing_app.services.payments.gateway import (
    gateway_event_receive,
    gateway_secret,
    signature_compute,
    signature_verify,
)
from billing_app.settings import get_settings

SECRET = b"whsec_test_secret"
BODY = b'{"id": "evt_1", "type": "payment.succeeded"}'
NOW = 1_900_000_000


def header(body: bytes = BODY, timestamp: int = NOW, secret: bytes = SECRET) -> str:
    return f"t={timestamp},v1={signature_compute(secret, timestamp, body)}"


def test_a_good_signature_passes_and_one_of_several_v1_is_enough():
    signature_verify(SECRET, header(), BODY, now=NOW + 299)
    signature_verify(SECRET, f"t={NOW},v1={'0' * 64},{header().split(',')[1]}", BODY, now=NOW)


@pytest.mark.parametrize(("signed", "now", "message"), [
    (None, NOW, "missing"),
    ("", NOW, "missing"),
    ("v1=abc", NOW, "not in the form"),
    (f"t={NOW}", NOW, "not in the form"),
    (f"t=soon,v1={'0' * 64}", NOW, "not in the form"),
    (f"t={NOW},t={NOW},v1={'0' * 64}", NOW, "not in the form"),
    ("garbage", NOW, "not in the form"),
    (header(secret=b"another secret"), NOW, "does not match"),
    (header(body=BODY + b" "), NOW, "does not match"),
    (header(), NOW + 301, "expired"),  # a captured delivery replayed later
    (header(), NOW - 301, "expired"),
])
def test_a_bad_or_stale_signature_is_refused(signed, now, message):
    with pytest.raises(NotAuthenticated, match=message):
        signature_verify(SECRET, signed, BODY, now=now)


def test_the_secret_comes_from_the_settings_and_an_unknown_provider_is_not_found(monkeypatch):
    monkeypatch.setenv("GATEWAY_SECRETS", '{"stripe": "whsec_abcdefghijkl", "empty": "", '
                                          '"short": "abc"}')
    get_settings.cache_clear()
    try:
        assert gateway_secret("stripe") == b"whsec_abcdefghijkl"
        for provider in ("paypal", "empty", "short"):  # an empty secret signs for anyone
            with pytest.raises(NotFound, match=provider):
                gateway_secret(provider)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def event(invoice, amount: str = "100.00", *, event_id: str | None = None,
          transaction_id: str | None = None, **data) -> dict:
    return {"id": event_id or f"evt_{uuid.uuid4().hex}", "type": "payment.succeeded", "data": {
        "invoice_number": invoice.number, "amount": amount, "currency": invoice.currency,
        "transaction_id": f"pi_{uuid.uuid4().hex}" if transaction_id is None else transaction_id, "status": "succeeded",
        "paid_at": "2031-03-06", **data}}


def counts(db) -> tuple[int, int]:
    return (db.exec(select(func.count()).select_from(Payment)).one(),
            db.exec(select(func.count()).select_from(GatewayEvent)).one())


def test_a_payment_event_records_an_online_payment_on_its_invoice(db, company, issued):
    invoice = issued("100.00")
    sent = event(invoice, "40.00", transaction_id="pi_123")
    result = gateway_event_receive(db, provider="stripe", event=sent)

    assert (result.duplicate, result.ignored, result.event_id) == (False, False, sent["id"])
    payment = db.get(Payment, result.payment_id)
    assert (payment.method, payment.reference, payment.amount, payment.amount_allocated) == (
        "online_gateway", "stripe pi_123", Decimal("40.00"), Decimal("40.00"))
    assert (payment.gateway_provider, payment.gateway_transaction_id, payment.gateway_status) \
        == ("stripe", "pi_123", "succeeded")
    assert str(payment.payment_date) == "2031-03-06" and payment.created_by_id is None
    assert (invoice.status, invoice.balance_due) == ("partially_paid", Decimal("60.00"))
    stored = db.exec(select(GatewayEvent).where(GatewayEvent.event_id == sent["id"])).one()
    assert (stored.provider, stored.payment_id, stored.payload) == ("stripe", payment.id, sent)


def test_more_than_the_balance_pays_the_invoice_and_the_rest_is_credit(
        db, company, customer, issued):
    invoice = issued("100.00")
    gateway_event_receive(db, provider="stripe", event=event(invoice, "120.00"))
    assert (invoice.status, invoice.balance_due) == ("paid", Decimal(0))
    assert client_credit(db, customer.id) == {"EUR": Decimal("20.00")}
    # an invoice already paid takes nothing more: all of the next payment is credit
    gateway_event_receive(db, provider="stripe", event=event(invoice, "5.00"))
    assert client_credit(db, customer.id) == {"EUR": Decimal("25.00")}


def test_a_replayed_event_changes_nothing(db, company, issued):
    invoice = issued("100.00")
    sent = event(invoice, "30.00")
    first = gateway_event_receive(db, provider="stripe", event=sent)
    before = counts(db)
    again = gateway_event_receive(db, provider="stripe", event=sent)
    assert (again.duplicate, again.payment_id) == (True, first.payment_id)
    assert counts(db) == before and invoice.balance_due == Decimal("70.00")
    # the same event id from another provider is another event
    other = gateway_event_receive(db, provider="paypal", event=sent)
    assert not other.duplicate and other.payment_id != first.payment_id


def test_the_same_transaction_in_another_event_is_a_duplicate(db, company, issued):
    invoice = issued("100.00")
    first = gateway_event_receive(db, provider="stripe",
                                  event=event(invoice, "30.00", transaction_id="pi_same"))
    second = gateway_event_receive(db, provider="stripe",
                                   event=event(invoice, "30.00", transaction_id="pi_same"))
    assert (second.duplicate, second.payment_id) == (True, first.payment_id)
    assert db.exec(select(func.count()).select_from(PaymentAllocation).where(
        PaymentAllocation.invoice_id == invoice.id)).one() == 1


def test_other_event_types_are_stored_once_and_ignored(db, company):
    sent = {"id": f"evt_{uuid.uuid4().hex}", "type": "payment.failed", "data": {"x": 1}}
    before = counts(db)
    result = gateway_event_receive(db, provider="stripe", event=sent)
    assert (result.ignored, result.duplicate, result.payment_id) == (True, False, None)
    assert counts(db) == (before[0], before[1] + 1)
    replay = gateway_event_receive(db, provider="stripe", event=sent)
    assert (replay.ignored, replay.duplicate) == (True, True)
    assert counts(db) == (before[0], before[1] + 1)


@pytest.mark.parametrize("status", ["pending", "failed", "requires_action", 5])
def test_a_payment_event_whose_money_did_not_move_is_stored_and_ignored(db, company, issued,
                                                                        status):
    invoice = issued("100.00")
    before = counts(db)
    result = gateway_event_receive(db, provider="stripe", event=event(invoice, status=status))
    assert (result.ignored, result.payment_id) == (True, None)
    assert counts(db) == (before[0], before[1] + 1)
    assert invoice.balance_due == Decimal("100.00")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"amount": 120.5}, "data.amount", "as a string"),
    ({"amount": 120}, "data.amount", "as a string"),
    ({"amount": "-5.00"}, "data.amount", "negative"),
    ({"amount": "0"}, "data.amount", "more than 0"),
    ({"amount": "10.005"}, "amount", "at most 2 decimals"),
    ({"invoice_number": "INV-1999-99999"}, "data.invoice_number", "no invoice"),
    ({"currency": "USD"}, "data.currency", "is in EUR, the payment in USD"),
    ({"paid_at": "yesterday"}, "data.paid_at", None),
    ({"transaction_id": ""}, "data.transaction_id", None),
])
def test_bad_payment_data_is_refused(db, company, issued, change, field, message):
    invoice = issued("100.00")
    with pytest.raises(ValidationFailed, match=message) as refused:
        gateway_event_receive(db, provider="stripe", event=event(invoice, **change))
    assert refused.value.field == field


@pytest.mark.parametrize("sent", [{}, {"id": "evt_x"}, {"id": "", "type": "payment.succeeded"},
                                  {"id": "evt_x", "type": "payment.succeeded"}, ["not", "a dict"]])
def test_a_malformed_event_is_refused(db, company, sent):
    with pytest.raises(ValidationFailed):
        gateway_event_receive(db, provider="stripe", event=sent)
