"""Reads of the reversed and returned bank lines waiting for a decision
(services/banking/reversals.py), for the bank review page and the API."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import quantize_money
from billing_app.models.banking import BankStatementLine, ProposalStatus
from billing_app.models.reversals import ReversalProposal
from billing_app.models.users import User

MAX_ROWS = 200


@dataclass(frozen=True)
class ReversalItem:
    proposal_id: int
    line_id: int
    statement_id: int
    booking_date: date
    amount: Decimal  # signed, as the bank booked it
    currency: str
    counterparty_name: str
    reference: str
    kind: str  # ReversalKind
    explanation: str
    payment_id: int | None
    refund_id: int | None


def reversals_waiting(session: Session, *, actor: User, statement_id: int | None = None,
                      limit: int = MAX_ROWS) -> list[ReversalItem]:
    """The proposals still to decide, the oldest line first."""
    require(actor, Action.PAYMENTS_READ)
    query = (select(ReversalProposal, BankStatementLine)
             .join(BankStatementLine, BankStatementLine.id == ReversalProposal.line_id)
             .where(ReversalProposal.status == ProposalStatus.PROPOSED))
    if statement_id is not None:
        query = query.where(BankStatementLine.statement_id == statement_id)
    rows = session.exec(query.order_by(BankStatementLine.booking_date, BankStatementLine.id)
                        .limit(max(1, min(limit, MAX_ROWS)))).all()
    return [ReversalItem(proposal.id, line.id, line.statement_id, line.booking_date,
                         quantize_money(line.amount, line.currency), line.currency,
                         line.counterparty_name, line.reference, proposal.kind,
                         proposal.explanation, proposal.payment_id, proposal.refund_id)
            for proposal, line in rows]
