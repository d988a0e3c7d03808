"""Statement lines that undo something: a client's payment the bank reversed or returned (a
debit), and money of ours that came back (a credit marked as a reversal or a return).

The importer stores these lines set aside (they are never a client's payment); here each
gets one proposal saying in plain words what it undoes:
- a debit: the client's payment it takes back, found among completed payments of the same
  amount and currency paid on or before the line, by the evidence of the payment's own bank
  line (the same end-to-end id, the payer's account, the reference) or the client's account
  or name. Accepting marks the payment returned (its invoices owe again) and links the line.
- a credit: our refund that came back, found among completed refunds of the same amount and
  currency made on or before the line, by the client's account or name. Accepting undoes the
  refund (the money is the client's credit again).
- anything else (a return that matches nothing we recorded): set aside, with the explanation.
The accountant decides on the bank review page; nothing changes before that.
"""

from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import delete, or_
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import format_money
from billing_app.errors import Conflict, NotFound
from billing_app.models.banking import (
    BankStatementLine,
    ClientBankAccount,
    LineStatus,
    ProposalStatus,
)
from billing_app.models.base import utcnow
from billing_app.models.clients import Client
from billing_app.models.payments import Payment, PaymentStatus, Refund, RefundStatus
from billing_app.models.reversals import ReversalKind, ReversalProposal
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.banking.keys import name_keys
from billing_app.services.payments import payment_return, refund_undo

END_TO_END, ACCOUNT, REFERENCE, NAME = 4, 2, 2, 1
"""Evidence that a line undoes this payment or refund (its amount and currency are equal, and
it came before the line): the same end-to-end id is nearly proof; the same account or the
reference says much; a name alone is the least, but enough with the exact amount."""
RETURN_REASONS = {
    "AC01": "wrong account number", "AC04": "account closed", "AC06": "account blocked",
    "AG01": "transaction not allowed on the account", "AM04": "insufficient funds",
    "BE05": "payer not recognised", "DUPL": "duplicate payment",
    "FOCR": "cancelled on request", "MD01": "no mandate", "MD06": "the payer asked for a refund",
    "MS02": "refused by the account holder", "MS03": "reason not given", "RR04": "regulatory reason",
}  # fmt: skip
"""ISO 20022 return reason codes a person may not know by heart."""


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _reason(line: BankStatementLine) -> str:
    code = line.return_reason.strip()
    if not code:
        return ""
    words = RETURN_REASONS.get(code.upper())
    return f" Reason: {words} ({code})." if words else f" Reason: {code}."


def _same_name(one: str, other: str) -> bool:
    keys = name_keys(pd.Series([one, other], dtype=object))
    return keys[0] != "" and keys[0] == keys[1]


def _account_owner(session: Session, iban: str) -> int | None:
    return session.exec(select(ClientBankAccount.client_id)
                        .where(ClientBankAccount.iban == iban)).first() if iban else None


def _payment_score(line: BankStatementLine, payment: Payment, client: Client,
                   paid_from: BankStatementLine | None, owner: int | None) -> int:
    """The evidence that the debit `line` takes back `payment` (see the weights above)."""
    score = 0
    if paid_from is not None and line.end_to_end_id \
            and paid_from.end_to_end_id == line.end_to_end_id:
        score += END_TO_END
    if line.counterparty_iban and (owner == payment.client_id or (
            paid_from is not None and paid_from.counterparty_iban == line.counterparty_iban)):
        score += ACCOUNT
    references = {payment.reference or "", paid_from.reference if paid_from else ""} - {""}
    if references & ({line.reference.strip(), line.creditor_reference.strip()} - {""}):
        score += REFERENCE
    if _same_name(line.counterparty_name, client.name) or (
            paid_from is not None and _same_name(line.counterparty_name,
                                                 paid_from.counterparty_name)):
        score += NAME
    return score


def _payment_taken_back(session: Session, line: BankStatementLine) -> tuple[Payment, Client] | None:
    """The completed payment the debit `line` most likely takes back, with its client."""
    candidates = session.exec(
        select(Payment, Client).join(Client, Client.id == Payment.client_id)
        .where(Payment.status == PaymentStatus.COMPLETED, Payment.currency == line.currency,
               Payment.amount == -line.amount, Payment.payment_date <= line.booking_date)).all()
    owner = _account_owner(session, line.counterparty_iban)
    best, best_key = None, None
    for payment, client in candidates:
        paid_from = session.exec(select(BankStatementLine).where(
            BankStatementLine.payment_id == payment.id, BankStatementLine.amount > 0)).first()
        score = _payment_score(line, payment, client, paid_from, owner)
        key = (score, payment.payment_date, payment.id)
        if score and (best_key is None or key > best_key):
            best, best_key = (payment, client), key
    return best


def _refund_came_back(session: Session, line: BankStatementLine) -> tuple[Refund, Client] | None:
    """The completed refund the credit `line` most likely brings back, with its client."""
    candidates = session.exec(
        select(Refund, Client).join(Client, Client.id == Refund.client_id)
        .where(Refund.status == RefundStatus.COMPLETED, Refund.currency == line.currency,
               Refund.amount == line.amount, Refund.refund_date <= line.booking_date)).all()
    owner = _account_owner(session, line.counterparty_iban)
    best, best_key = None, None
    for refund, client in candidates:
        score = (ACCOUNT * (owner == refund.client_id)
                 + NAME * _same_name(line.counterparty_name, client.name))
        key = (score, refund.refund_date, refund.id)
        if score and (best_key is None or key > best_key):
            best, best_key = (refund, client), key
    return best


def _proposal(session: Session, line: BankStatementLine) -> ReversalProposal:
    money = _money(abs(line.amount), line.currency)
    verb = "reversed" if line.reversal else "returned"
    party = line.counterparty_name or line.counterparty_iban or "the other party"
    if line.amount < 0:
        found = _payment_taken_back(session, line)
        if found is None:
            return ReversalProposal(
                line_id=line.id, kind=ReversalKind.SET_ASIDE, explanation=(
                    f"The bank {verb} a payment of {money} from {party}, but no payment we "
                    f"recorded matches it.{_reason(line)}"))
        payment, client = found
        return ReversalProposal(
            line_id=line.id, kind=ReversalKind.PAYMENT_RETURNED, payment_id=payment.id,
            explanation=(f"The bank {verb} {client.name}'s payment of {money} of "
                         f"{_day(payment.payment_date)}.{_reason(line)}"))
    found = _refund_came_back(session, line)
    if found is None:
        return ReversalProposal(
            line_id=line.id, kind=ReversalKind.SET_ASIDE, explanation=(
                f"A payment of {money} we made to {party} came back ({verb} by the bank); it "
                f"is not money received from a client, and no refund we recorded matches "
                f"it.{_reason(line)}"))
    refund, client = found
    return ReversalProposal(
        line_id=line.id, kind=ReversalKind.REFUND_UNDONE, refund_id=refund.id,
        explanation=(f"Our refund of {money} to {client.name} of {_day(refund.refund_date)} "
                     f"came back ({verb} by the bank).{_reason(line)}"))


def reversals_build(session: Session, line_ids: list[int]) -> int:
    """Propose what each of these lines undoes, for those the bank marks as a reversal or a
    return and not yet decided; their earlier waiting proposals are replaced. Returns the
    number of proposals written.

    No permission check: a building block for services that have checked their actor."""
    if not line_ids:
        return 0
    lines = session.exec(select(BankStatementLine).where(
        BankStatementLine.id.in_(line_ids), BankStatementLine.status != LineStatus.MATCHED,
        or_(BankStatementLine.reversal, BankStatementLine.returned))
        .order_by(BankStatementLine.booking_date, BankStatementLine.id)).all()
    ids = [line.id for line in lines]
    session.execute(delete(ReversalProposal).where(
        ReversalProposal.line_id.in_(ids), ReversalProposal.status == ProposalStatus.PROPOSED))
    session.add_all([_proposal(session, line) for line in lines])
    session.flush()
    return len(lines)


def _waiting(session: Session, proposal_id: int) -> tuple[ReversalProposal, BankStatementLine]:
    proposal = session.get(ReversalProposal, proposal_id, with_for_update=True,
                           populate_existing=True)
    if proposal is None:
        raise NotFound("That proposal does not exist.")
    if proposal.status != ProposalStatus.PROPOSED:
        raise Conflict(f"This proposal was already {proposal.status}.")
    line = session.get(BankStatementLine, proposal.line_id, with_for_update=True,
                       populate_existing=True)
    if line.status == LineStatus.MATCHED:
        raise Conflict("This line was already reconciled.")
    return proposal, line


def _decide(session: Session, actor: User, proposal: ReversalProposal, line: BankStatementLine,
            status: ProposalStatus, line_status: LineStatus, action: str) -> None:
    proposal.status, proposal.decided_by_id, proposal.decided_at = status, actor.id, utcnow()
    line.status = line_status
    session.add_all([proposal, line])
    audit_record(session, actor=actor, action=f"bank_reversal.{action}", entity_type="bank_line",
                 entity_id=line.id, details={
                     "proposal_id": proposal.id, "kind": proposal.kind,
                     "payment_id": proposal.payment_id, "refund_id": proposal.refund_id,
                     "explanation": proposal.explanation})
    session.flush()


def reversal_accept(session: Session, *, actor: User, proposal_id: int,
                    today: date | None = None) -> ReversalProposal:
    """Do what the proposal says: mark the payment returned (its invoices owe again; the line
    is linked to it), undo the refund (the client's credit again), or set the line aside."""
    require(actor, Action.PAYMENTS_WRITE)
    proposal, line = _waiting(session, proposal_id)
    bank_line = {"bank_line_id": line.id, "booking_date": line.booking_date.isoformat(),
                 "amount": str(line.amount), "return_reason": line.return_reason}
    reason = proposal.explanation[:500]
    line_status = LineStatus.MATCHED
    if proposal.kind == ReversalKind.PAYMENT_RETURNED:
        payment_return(session, actor=actor, payment_id=proposal.payment_id, reason=reason,
                       today=today, details=bank_line)
        line.payment_id = proposal.payment_id
    elif proposal.kind == ReversalKind.REFUND_UNDONE:
        refund_undo(session, actor=actor, refund_id=proposal.refund_id, reason=reason,
                    details=bank_line)
    else:
        line_status = LineStatus.IGNORED
    _decide(session, actor, proposal, line, ProposalStatus.ACCEPTED, line_status, "accept")
    return proposal


def reversal_dismiss(session: Session, *, actor: User, proposal_id: int) -> ReversalProposal:
    """Not what the proposal says: nothing is undone, and the line stays set aside."""
    require(actor, Action.PAYMENTS_WRITE)
    proposal, line = _waiting(session, proposal_id)
    _decide(session, actor, proposal, line, ProposalStatus.REJECTED, LineStatus.IGNORED,
            "dismiss")
    return proposal
