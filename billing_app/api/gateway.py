"""The webhook payment gateways call when a client pays online. No user signs in here: a
delivery is trusted by its signature, made with the gateway's secret (GATEWAY_SECRETS)."""

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from pydantic import BaseModel, Field

from billing_app.api.deps import DbSession
from billing_app.errors import ValidationFailed
from billing_app.services.payments.gateway import (
    SIGNATURE_HEADER,
    PaymentSucceededEvent,
    gateway_event_receive,
    gateway_secret,
    signature_verify,
)

router = APIRouter(prefix="/gateway", tags=["gateway"])

_EXAMPLE = {"id": "evt_1Q2w3E", "type": "payment.succeeded", "data": {
    "invoice_number": "INV-2026-00042", "amount": "120.00", "currency": "EUR",
    "transaction_id": "pi_3N0abc", "status": "succeeded", "paid_at": "2026-11-20"}}


def _documented_body() -> dict:
    """The body is read raw (the signature covers its exact bytes), so it is documented
    here; the schema of `data` is inlined, a $ref would point into the OpenAPI document."""
    schema = PaymentSucceededEvent.model_json_schema()
    schema["properties"]["data"] = schema.pop("$defs")["PaymentSucceeded"]
    return {"required": True,
            "content": {"application/json": {"schema": schema, "example": _EXAMPLE}}}


class GatewayEventOut(BaseModel):
    event_id: str
    duplicate: bool = Field(description="This event was received before; nothing changed.")
    ignored: bool = Field(description="Not an event type this app acts on; stored only.")
    payment_id: int | None = Field(description="The payment recorded from this event.")


async def raw_body(request: Request) -> bytes:
    return await request.body()


@router.post("/{provider}/events", openapi_extra={"requestBody": _documented_body()})
def gateway_events_receive(
    provider: Annotated[str, Path(max_length=50)],
    body: Annotated[bytes, Depends(raw_body)],
    session: DbSession,
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER, description=(
        't=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the gateway\'s '
        "secret; refused when older than 5 minutes."))] = None,
) -> GatewayEventOut:
    """A payment notification. `payment.succeeded` records an online payment on the invoice
    with that number, up to its balance (the rest is the client's credit); other types are
    acknowledged with `ignored: true`. An event id seen before answers 200 with
    `duplicate: true` and changes nothing, so gateway retries are safe.

    401: signature missing, wrong or stale; 404: unknown provider; 422: bad JSON or data (an
    unknown invoice, another currency, an amount sent as a number), with nothing stored."""
    signature_verify(gateway_secret(provider), signature, body)
    try:
        event = json.loads(body)
    except ValueError:
        raise ValidationFailed("The request body is not valid JSON.") from None
    result = gateway_event_receive(session, provider=provider, event=event)
    return GatewayEventOut(**vars(result))
