"""Payment notifications from online gateways: signed webhooks turned into recorded payments.

A gateway signs each delivery like Stripe does: the header `X-Signature: t=<unix time>,
v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the secret set up for it (GATEWAY_SECRETS).
It retries until it gets a 2xx, and may deliver one event several times, even at once:
every event is stored once per (provider, event id) in the same transaction as its payment,
so a replay finds it and changes nothing.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.errors import NotAuthenticated, NotFound, ValidationFailed
from billing_app.models.banking import GatewayEvent
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment, PaymentMethod
from billing_app.services.audit import audit_record
from billing_app.models.inputs import CurrencyCode
from billing_app.services.payments.allocation import invoices_for_update
from billing_app.services.payments.inputs import Amount, GatewayPaymentIn
from billing_app.services.payments.recording import payment_record
from billing_app.services.validation import validated
from billing_app.settings import get_settings

SIGNATURE_HEADER = "X-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300
"""A signature older (or further in the future) than this is refused: a captured delivery
cannot be replayed later."""
PAYMENT_SUCCEEDED = "payment.succeeded"
SUCCEEDED = "succeeded"


MIN_SECRET_LENGTH = 16
"""An empty or short secret would let anyone sign deliveries: such a gateway is not set up."""


def gateway_secret(provider: str) -> bytes:
    """The signing secret of a configured gateway; any other provider is not found."""
    secret = get_settings().gateway_secrets.get(provider)
    if secret is None or len(secret.get_secret_value()) < MIN_SECRET_LENGTH:
        raise NotFound(f"No payment gateway called {provider!r} is set up.")
    return secret.get_secret_value().encode()


def signature_compute(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def _signature_parts(header: str) -> tuple[int, list[str]]:
    """The timestamp and the v1 signatures of the header (several while a secret rotates)."""
    pairs = [part.strip().partition("=") for part in header.split(",")]
    if any(not sep for _, sep, _ in pairs):
        raise ValueError("malformed")
    timestamps = [value for key, _, value in pairs if key == "t"]
    signatures = [value for key, _, value in pairs if key == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        raise ValueError("malformed")
    return int(timestamps[0]), signatures


def signature_verify(secret: bytes, header: str | None, body: bytes,
                     now: float | None = None) -> None:
    """Refuse (401) a delivery whose signature is missing, malformed, wrong or stale.

    Checked on the raw body bytes, before anything reads them as JSON."""
    if not header:
        raise NotAuthenticated(f"The {SIGNATURE_HEADER} header is missing.")
    try:
        timestamp, signatures = _signature_parts(header)
    except ValueError:
        raise NotAuthenticated(f"The {SIGNATURE_HEADER} header is not in the form "
                               "t=<timestamp>,v1=<signature>.") from None
    if abs((time.time() if now is None else now) - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        raise NotAuthenticated("The signature has expired; it is accepted for "
                               f"{SIGNATURE_TOLERANCE_SECONDS // 60} minutes.")
    expected = signature_compute(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in signatures):
        raise NotAuthenticated("The signature does not match the body.")


def _text_only(value: Any) -> str:
    """A JSON number would have passed through a float on the gateway's side."""
    if isinstance(value, str):
        return value
    raise ValueError('send the amount as a string, like "120.00".')


class GatewayEventIn(BaseModel):
    """The envelope of every event; `data` depends on `type`."""

    id: str = Field(min_length=1, max_length=200, description="Unique per provider.")
    type: str = Field(min_length=1, max_length=100, examples=[PAYMENT_SUCCEEDED])
    data: dict[str, Any] = Field(default_factory=dict)


class PaymentSucceeded(BaseModel):
    """`data` of a payment.succeeded event."""

    model_config = ConfigDict(extra="ignore")

    invoice_number: str = Field(min_length=1, max_length=50, examples=["INV-2026-00042"])
    amount: Annotated[Amount, BeforeValidator(_text_only),
                      WithJsonSchema({"type": "string", "examples": ["120.00"]})]
    currency: CurrencyCode = Field(examples=["EUR"])
    transaction_id: str = Field(min_length=1, max_length=100, examples=["pi_3N0abc"])
    status: Literal["succeeded"] = Field(default=SUCCEEDED, description=(
        "Any other status (pending, failed ...) is acknowledged and ignored: no payment."))
    paid_at: date = Field(examples=["2026-11-20"])


class PaymentSucceededEvent(GatewayEventIn):
    data: PaymentSucceeded


@dataclass(frozen=True)
class GatewayResult:
    event_id: str
    duplicate: bool = False
    ignored: bool = False
    payment_id: int | None = None


def _event_claim(session: Session, provider: str, event: GatewayEventIn,
                 payload: dict) -> GatewayEvent | None:
    """Store the event, or None when it is stored already. A concurrent delivery of the same
    event waits on the unique index (or before, on its invoice's lock) until the first one
    commits, then finds it; a savepoint keeps the transaction usable after the refusal."""
    row = GatewayEvent(provider=provider, event_id=event.id, payload=payload)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


def _replayed(session: Session, provider: str, event: GatewayEventIn) -> GatewayResult:
    payment_id = session.exec(select(GatewayEvent.payment_id).where(
        GatewayEvent.provider == provider, GatewayEvent.event_id == event.id)).one()
    return GatewayResult(event.id, duplicate=True, ignored=event.type != PAYMENT_SUCCEEDED,
                         payment_id=payment_id)


def _ignore(session: Session, provider: str, event: GatewayEventIn,
            payload: dict) -> GatewayResult:
    """Other event types are stored once, so a replay of them is a duplicate too."""
    if _event_claim(session, provider, event, payload) is None:
        return _replayed(session, provider, event)
    return GatewayResult(event.id, ignored=True)


def _invoice(session: Session, data: PaymentSucceeded) -> Invoice:
    found = session.exec(select(Invoice.id).where(Invoice.number == data.invoice_number)).first()
    invoice = invoices_for_update(session, [found]).get(found) if found else None
    if invoice is None:
        raise ValidationFailed(f"There is no invoice {data.invoice_number}.",
                               field="data.invoice_number")
    if invoice.currency != data.currency:
        raise ValidationFailed(f"{invoice.number} is in {invoice.currency}, the payment in "
                               f"{data.currency}.", field="data.currency")
    return invoice


def _recorded(session: Session, provider: str, transaction_id: str) -> Payment | None:
    return session.exec(select(Payment).where(Payment.gateway_provider == provider,
                                              Payment.gateway_transaction_id == transaction_id)
                        ).first()


def _pay(session: Session, provider: str, data: PaymentSucceeded, invoice: Invoice) -> Payment:
    """The payment on the invoice up to its balance; the rest is the client's credit."""
    share = min(data.amount, invoice.balance_due) if invoice.status in OPEN_STATUSES else 0
    return payment_record(session, actor=SYSTEM_ACTOR, data=GatewayPaymentIn(
        client_id=invoice.client_id, payment_date=data.paid_at, amount=data.amount,
        currency=data.currency, method=PaymentMethod.ONLINE_GATEWAY,
        reference=f"{provider} {data.transaction_id}", gateway_provider=provider,
        gateway_transaction_id=data.transaction_id, gateway_status=data.status,
        allocations=[{"invoice_id": invoice.id, "amount": share}] if share > 0 else []))


def gateway_event_receive(session: Session, *, provider: str, event: dict) -> GatewayResult:
    """Handle one verified event of `provider`: record a payment.succeeded on its invoice,
    store other types, and a payment.succeeded whose status is not "succeeded" (no money
    moved), as ignored. A replay (same provider and event id) changes nothing.

    Bad data (an unknown invoice, another currency, an amount that is not a string) is a
    ValidationFailed and nothing is stored, so the gateway's corrected retry goes through."""
    envelope = validated(GatewayEventIn, event)
    if envelope.type != PAYMENT_SUCCEEDED or envelope.data.get("status", SUCCEEDED) != SUCCEEDED:
        return _ignore(session, provider, envelope, event)
    data = validated(PaymentSucceededEvent, event).data
    invoice = _invoice(session, data)
    row = _event_claim(session, provider, envelope, event)
    if row is None:
        return _replayed(session, provider, envelope)
    payment = _recorded(session, provider, data.transaction_id)
    duplicate = payment is not None  # the same transaction, told by another event
    payment = payment or _pay(session, provider, data, invoice)
    row.payment_id = payment.id
    session.add(row)
    audit_record(session, actor=SYSTEM_ACTOR, action="gateway.event", entity_type="payment",
                 entity_id=payment.id, details={"provider": provider, "event_id": envelope.id,
                                                "duplicate": duplicate})
    session.flush()
    return GatewayResult(envelope.id, duplicate=duplicate, payment_id=payment.id)
