"""What a reversed or returned bank line undoes: a client's payment the bank took back, or a
refund of ours that came back (services/banking/reversals.py proposes, the accountant decides)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from billing_app.models.banking import ProposalStatus
from billing_app.models.base import created_at_field, enum_field, timestamp_field


class ReversalKind(StrEnum):
    PAYMENT_RETURNED = "payment_returned"  # a debit reversing a client's payment we recorded
    REFUND_UNDONE = "refund_undone"  # a credit bringing back a refund of ours
    SET_ASIDE = "set_aside"  # a reversal or return that matches nothing recorded


class ReversalProposal(SQLModel, table=True):
    __tablename__ = "bank_reversal_proposals"

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="bank_statement_lines.id", index=True, nullable=False)
    kind: ReversalKind = enum_field(ReversalKind)
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)
    refund_id: int | None = Field(default=None, foreign_key="refunds.id", index=True)
    explanation: str = Field(sa_type=Text, nullable=False)
    """In plain words, e.g. "The bank reversed Cedar Print's payment of €600.00 of 3 Mar 2026"."""
    status: ProposalStatus = enum_field(ProposalStatus, default=ProposalStatus.PROPOSED)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
