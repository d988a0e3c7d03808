from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.clients import search_index
from billing_app.models.base import (
    MONEY,
    created_at_field,
    currency_field,
    enum_field,
    money_field,
    timestamp_field,
)


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CASH = "cash"
    CHEQUE = "cheque"
    DIRECT_DEBIT = "direct_debit"
    ONLINE_GATEWAY = "online_gateway"


class PaymentStatus(StrEnum):
    COMPLETED = "completed"
    REFUNDED = "refunded"
    VOID = "void"
    RETURNED = "returned"  # the bank took the money back (a reversed or returned transfer)


class Payment(SQLModel, table=True):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # the database itself refuses allocating more of a payment than it brought in
        CheckConstraint("amount_allocated >= 0 AND amount_allocated <= amount",
                        name="allocated_within_amount"),
        CheckConstraint("amount_refunded >= 0 AND amount_allocated + amount_refunded <= amount",
                        name="refunded_within_amount"),
        UniqueConstraint("gateway_provider", "gateway_transaction_id"),
        Index("ix_payments_client_date", "client_id", "payment_date"),
        Index("ix_payments_payment_date", "payment_date"),
        Index("ix_payments_reversed_at", "reversed_at"),  # refunded whole: reports/collected.py
        search_index("payments", "reference"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", nullable=False)
    payment_date: date = Field(sa_type=Date, nullable=False)
    amount: Decimal = Field(sa_type=MONEY, nullable=False)
    amount_allocated: Decimal = money_field()
    """Sum of this payment's allocations; the rest is the client's credit while completed."""
    amount_refunded: Decimal = money_field()
    """What refunds (services/payments/refunds.py) gave back of it, and so is no one's credit."""
    currency: str = currency_field()
    method: PaymentMethod = enum_field(PaymentMethod, default=PaymentMethod.BANK_TRANSFER)
    status: PaymentStatus = enum_field(PaymentStatus, default=PaymentStatus.COMPLETED)
    reference: str | None = Field(default=None, sa_type=String(200))
    notes: str | None = Field(default=None, sa_type=String(5000))
    gateway_provider: str | None = Field(default=None, sa_type=String(50))
    gateway_transaction_id: str | None = Field(default=None, sa_type=String(100))
    gateway_status: str | None = Field(default=None, sa_type=String(50))
    reversed_at: datetime | None = timestamp_field()
    reversal_reason: str | None = Field(default=None, sa_type=String(500))
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.amount_allocated - self.amount_refunded

    @property
    def refundable(self) -> Decimal:
        """What a partial refund may still give back: all of it but what was refunded."""
        return self.amount - self.amount_refunded


class PaymentAllocation(SQLModel, table=True):
    """The part of a payment that settles one invoice."""

    __tablename__ = "payment_allocations"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)
    # Allocations of a voided or refunded payment stay as its history; only those of
    # completed payments count towards an invoice's amount_paid.

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", index=True, nullable=False)
    invoice_id: int = Field(foreign_key="invoices.id", index=True, nullable=False)
    amount: Decimal = Field(sa_type=MONEY, nullable=False)
    created_at: datetime = created_at_field()


class RefundStatus(StrEnum):
    COMPLETED = "completed"
    REVERSED = "reversed"  # the money came back (the bank returned or reversed the transfer)


class Refund(SQLModel, table=True):
    """Money given back to a client: part of one payment, or of the client's credit."""

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_refunds_client_date", "client_id", "refund_date"),
        Index("ix_refunds_refund_date", "refund_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", nullable=False)
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    """The payment refunded; None for a refund of the client's credit (see RefundPart)."""
    amount: Decimal = Field(sa_type=MONEY, nullable=False)
    currency: str = currency_field()
    refund_date: date = Field(sa_type=Date, nullable=False)
    method: PaymentMethod = enum_field(PaymentMethod, default=PaymentMethod.BANK_TRANSFER)
    reason: str = Field(sa_type=String(500), nullable=False)
    status: RefundStatus = enum_field(RefundStatus, default=RefundStatus.COMPLETED)
    reversed_at: datetime | None = timestamp_field()
    reversal_reason: str | None = Field(default=None, sa_type=String(500))
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = created_at_field()


class RefundPart(SQLModel, table=True):
    """How much of a refund came out of each payment (its amount_refunded)."""

    __tablename__ = "refund_parts"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    refund_id: int = Field(foreign_key="refunds.id", primary_key=True)
    payment_id: int = Field(foreign_key="payments.id", primary_key=True, index=True)
    amount: Decimal = Field(sa_type=MONEY, nullable=False)
