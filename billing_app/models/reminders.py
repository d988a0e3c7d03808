"""Dunning: the reminder schedule relative to due dates, and the late fees it charged."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.base import MONEY, created_at_field, updated_at_field


class FeeKind(StrEnum):
    FIXED = "fixed"  # an amount in the invoice's currency
    PERCENT = "percent"  # of the amount due when the reminder goes out


class ReminderLevel(SQLModel, table=True):
    """One step of the schedule: `days` after the due date (negative: before it).

    reminders_sent.level and invoice_fees.level hold this row's id, so moving a level to
    other days never makes an invoice get it twice.
    """

    __tablename__ = "reminder_levels"
    __table_args__ = (
        UniqueConstraint("days"),
        CheckConstraint("days BETWEEN -365 AND 365", name="days_range"),
        CheckConstraint("fee_value IS NULL OR fee_value >= 0", name="fee_not_negative"),
        CheckConstraint("(fee_kind IS NULL) = (fee_value IS NULL)", name="fee_kind_with_value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    days: int = Field(nullable=False)
    name: str = Field(sa_type=String(100), nullable=False)
    template_key: str = Field(sa_type=String(60), nullable=False)
    fee_kind: FeeKind | None = Field(default=None, sa_type=String(20))
    fee_value: Decimal | None = Field(default=None, sa_type=MONEY)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class InvoiceFee(SQLModel, table=True):
    """A late fee charged on an invoice by a reminder level: written once, never changed.

    The invoice's own totals (EN 16931) stay as issued; its fees_total and balance_due add
    these up (domain.totals.amount_due).
    """

    __tablename__ = "invoice_fees"
    __table_args__ = (
        UniqueConstraint("invoice_id", "level"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoices.id", nullable=False, index=True)
    level: int = Field(foreign_key="reminder_levels.id", nullable=False)
    description: str = Field(sa_type=String(200), nullable=False)  # as printed, kept as charged
    amount: Decimal = Field(sa_type=MONEY, nullable=False)
    charged_on: date = Field(sa_type=Date, nullable=False)
    created_at: datetime = created_at_field()
