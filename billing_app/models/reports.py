"""Daily receivables snapshots: the history DSO is drawn from, exact and cheap to read."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.models.base import created_at_field, currency_field, money_field
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment


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


# Covering partial indexes for the home page at a million invoices: its figures read the open
# invoices, the issued ones by month and the completed payments by month; with these (and a
# vacuumed table) PostgreSQL answers from the index alone instead of visiting scattered rows.
Index(
    "ix_invoices_open_due_date", Invoice.due_date,
    postgresql_include=["id", "client_id", "currency", "balance_due"],
    postgresql_where=text("status IN (%s)" % ", ".join(f"'{status.value}'" for status in OPEN_STATUSES)),
)
Index(
    "ix_invoices_issued_by_date", Invoice.issue_date,
    postgresql_include=["currency", "total", "tax_total"],
    postgresql_where=text("number IS NOT NULL AND status <> 'draft'"),
)
Index(
    "ix_payments_completed_by_date", Payment.payment_date,
    postgresql_include=["currency", "amount"],
    postgresql_where=text("status = 'completed'"),
)
