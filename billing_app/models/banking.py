"""Imported bank statements, their lines, the matches proposed for them and what was learned.

A line is identified by a fingerprint of its account and contents, unique across all imports,
so importing a statement twice (or two overlapping statements) adds nothing the second time.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, Index, String, Text
from sqlmodel import Field, SQLModel

from billing_app.models.base import (
    MONEY,
    created_at_field,
    currency_field,
    enum_field,
    timestamp_field,
    updated_at_field,
)


class StatementFormat(StrEnum):
    CAMT053 = "camt053"
    CSV = "csv"


class LineStatus(StrEnum):
    OPEN = "open"          # a credit waiting for a match (with or without proposals)
    MATCHED = "matched"    # a payment was recorded from it
    IGNORED = "ignored"    # not a customer payment (a debit, or set aside by the accountant)


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class BankCsvProfile(SQLModel, table=True):
    """The column mapping of one bank's CSV export, remembered for its next file."""

    __tablename__ = "bank_csv_profiles"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(100), nullable=False, unique=True)
    mapping: dict[str, Any] = Field(sa_type=JSON, nullable=False)
    default_currency: str = currency_field()
    updated_at: datetime = updated_at_field()


class BankStatement(SQLModel, table=True):
    __tablename__ = "bank_statements"

    id: int | None = Field(default=None, primary_key=True)
    source: StatementFormat = enum_field(StatementFormat)
    file_name: str = Field(sa_type=String(255), nullable=False)
    file_sha256: str = Field(sa_type=String(64), nullable=False, index=True)
    account_iban: str | None = Field(default=None, sa_type=String(34))
    statement_ref: str | None = Field(default=None, sa_type=String(100))
    csv_profile_id: int | None = Field(default=None, foreign_key="bank_csv_profiles.id")
    opening_balance: Decimal | None = Field(default=None, sa_type=MONEY)
    closing_balance: Decimal | None = Field(default=None, sa_type=MONEY)
    line_count: int = Field(default=0, nullable=False)
    new_line_count: int = Field(default=0, nullable=False)
    imported_by_id: int | None = Field(default=None, foreign_key="users.id")
    imported_at: datetime = created_at_field()


class BankStatementLine(SQLModel, table=True):
    __tablename__ = "bank_statement_lines"
    __table_args__ = (Index("ix_bank_statement_lines_status_booking_date", "status",
                            "booking_date"),)

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="bank_statements.id", index=True, nullable=False)
    fingerprint: str = Field(sa_type=String(64), nullable=False, unique=True)
    booking_date: date = Field(sa_type=Date, nullable=False)
    value_date: date | None = Field(default=None, sa_type=Date)
    amount: Decimal = Field(sa_type=MONEY, nullable=False)  # signed: money in is positive
    currency: str = currency_field()
    reference: str = Field(default="", sa_type=Text, nullable=False)
    counterparty_name: str = Field(default="", sa_type=String(200), nullable=False)
    counterparty_iban: str = Field(default="", sa_type=String(34), nullable=False)
    bank_reference: str = Field(default="", sa_type=String(100), nullable=False)
    # what the bank says about the line (domain/statements/records.py StatementLine)
    reversal: bool = Field(default=False, nullable=False)
    returned: bool = Field(default=False, nullable=False)
    return_reason: str = Field(default="", sa_type=String(200), nullable=False)
    entry_status: str = Field(default="BOOK", sa_type=String(10), nullable=False)
    creditor_reference: str = Field(default="", sa_type=String(35), nullable=False)
    end_to_end_id: str = Field(default="", sa_type=String(35), nullable=False)
    transaction_code: str = Field(default="", sa_type=String(50), nullable=False)
    bank_charge: bool = Field(default=False, nullable=False)
    status: LineStatus = enum_field(LineStatus, default=LineStatus.OPEN)
    payment_id: int | None = Field(default=None, foreign_key="payments.id", index=True)


class MatchProposal(SQLModel, table=True):
    """A suggested reading of one statement line: this client paid these invoices."""

    __tablename__ = "bank_match_proposals"
    __table_args__ = (
        CheckConstraint("confidence >= 0 AND confidence <= 100", name="confidence_range"),
        Index("ix_bank_match_proposals_status_confidence", "status", "confidence"),
    )

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="bank_statement_lines.id", index=True, nullable=False)
    client_id: int = Field(foreign_key="clients.id", nullable=False)
    confidence: int = Field(nullable=False)
    evidence: list[str] = Field(sa_type=JSON, nullable=False)
    """Plain sentences saying why, e.g. "Invoice number INV-2026-00042 is in the reference"."""
    status: ProposalStatus = enum_field(ProposalStatus, default=ProposalStatus.PROPOSED)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class MatchProposalInvoice(SQLModel, table=True):
    """How much of the line a proposal puts on each invoice."""

    __tablename__ = "bank_match_proposal_invoices"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    proposal_id: int = Field(foreign_key="bank_match_proposals.id", primary_key=True)
    invoice_id: int = Field(foreign_key="invoices.id", primary_key=True, index=True)
    amount: Decimal = Field(sa_type=MONEY, nullable=False)


class ClientBankAccount(SQLModel, table=True):
    """An IBAN seen paying a client's invoices; the next line from it points to that client."""

    __tablename__ = "client_bank_accounts"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id", index=True, nullable=False)
    iban: str = Field(sa_type=String(34), nullable=False, unique=True)
    holder_name: str = Field(default="", sa_type=String(200), nullable=False)
    learned_at: datetime = created_at_field()


class GatewayEvent(SQLModel, table=True):
    """Every payment notification a gateway sent, once: a replay finds its event id here."""

    __tablename__ = "gateway_events"
    __table_args__ = (Index("uq_gateway_events_provider_event", "provider", "event_id",
                            unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(sa_type=String(50), nullable=False)
    event_id: str = Field(sa_type=String(200), nullable=False)
    payment_id: int | None = Field(default=None, foreign_key="payments.id")
    payload: dict[str, Any] = Field(sa_type=JSON, nullable=False)
    received_at: datetime = created_at_field()
