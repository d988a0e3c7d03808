"""Daily receivables snapshots: the history DSO is drawn from, exact and cheap to read."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, UniqueConstraint
from sqlmodel import Field, SQLModel

from billing_app.models.base import created_at_field, currency_field, money_field


class ReceivablesSnapshot(SQLModel, table=True):
    """What was owed at the end of `day` in one currency, and what was invoiced and collected
    in the trailing window before it, as the aging report computed it that day."""

    __tablename__ = "receivables_snapshots"
    __table_args__ = (UniqueConstraint("day", "currency"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(sa_type=Date, nullable=False, index=True)
    currency: str = currency_field()
    outstanding: Decimal = money_field()
    overdue: Decimal = money_field()
    open_invoices: int = Field(default=0, nullable=False)
    window_days: int = Field(nullable=False)
    invoiced_trailing: Decimal = money_field()  # net of credit notes, in the window up to `day`
    collected_trailing: Decimal = money_field()
    taken_at: datetime = created_at_field()
