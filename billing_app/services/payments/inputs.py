"""The shapes payment services accept, as forms and the API give them (amounts as text)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic import Field as PydanticField

from billing_app.models.invoices import Id, Price
from billing_app.models.payments import PaymentMethod
from billing_app.models.inputs import CurrencyCode, optional, optional_text

MAX_ALLOCATIONS = 500


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be more than 0.")
    return value


Amount = Annotated[Price, AfterValidator(_positive)]


def _unique_invoices(allocations: list["AllocationIn"]) -> list["AllocationIn"]:
    ids = [allocation.invoice_id for allocation in allocations]
    if len(set(ids)) != len(ids):
        raise ValueError("names the same invoice twice.")
    return allocations


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AllocationIn(_Shape):
    invoice_id: Id
    amount: Amount


Allocations = Annotated[list[AllocationIn], PydanticField(max_length=MAX_ALLOCATIONS),
                        AfterValidator(_unique_invoices)]


class PaymentIn(_Shape):
    """A payment received. With no allocations and auto_allocate off, all of it is credit."""

    client_id: Id
    payment_date: date
    amount: Amount
    currency: optional(CurrencyCode) = None  # the client's currency when left out
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: optional_text(200) = None
    notes: optional_text(5000) = None
    allocations: Allocations = PydanticField(default_factory=list)
    auto_allocate: bool = False


class GatewayPaymentIn(PaymentIn):
    """A payment a gateway confirmed: only its verified webhook records these fields, so no one
    can fake a confirmed payment or claim a transaction id before the real event arrives."""

    gateway_provider: optional_text(50)
    gateway_transaction_id: optional_text(100)
    gateway_status: optional_text(50)

    def gateway_fields(self) -> dict[str, str | None]:
        return {"gateway_provider": self.gateway_provider, "gateway_status": self.gateway_status,
                "gateway_transaction_id": self.gateway_transaction_id}
