"""What the accountant decides about a statement line: accept the proposed match, reject it,
match the line by hand, or set it aside. Accepting or matching records a bank transfer
payment through payment_record and learns the payer's account for the client."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import OPEN_STATUSES, InvoiceStatus
from billing_app.domain.money import format_money
from billing_app.errors import BillingError, Conflict, NotFound, ValidationFailed
from billing_app.models.banking import (
    BankStatementLine,
    ClientBankAccount,
    LineStatus,
    MatchProposal,
    MatchProposalInvoice,
    ProposalStatus,
)
from billing_app.models.base import utcnow
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment, PaymentMethod
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.banking.bulk import insert_rows
from billing_app.services.banking.scoring import HIGH, MAX_CONFIDENCE
from billing_app.services.payments import AllocationIn, PaymentIn, payment_record
from billing_app.services.validation import validated, validated_item

ACCOUNTS = ClientBankAccount.__table__
_REFERENCE_LIMIT = Payment.__table__.c.reference.type.length


@dataclass(frozen=True)
class Skipped:
    proposal_id: int
    line_id: int
    reason: str


@dataclass(frozen=True)
class AcceptResult:
    accepted: list[int]  # proposal ids
    skipped: list[Skipped]


def proposal_accept(session: Session, *, actor: User, proposal_id: int,
                    today: date | None = None) -> Payment:
    """Record the line as a payment from the proposal's client, on the proposal's invoices
    (what is left over is the client's credit). An invoice paid meanwhile is a Conflict and
    nothing changes."""
    require(actor, Action.PAYMENTS_WRITE)
    proposal = _waiting_proposal(session, proposal_id)
    line = _open_line(session, proposal.line_id)
    if line.status != LineStatus.OPEN:
        raise Conflict("This line was set aside; match it by hand instead.")
    allocations = [AllocationIn(invoice_id=row.invoice_id, amount=row.amount)
                   for row in session.exec(select(MatchProposalInvoice).where(
                       MatchProposalInvoice.proposal_id == proposal.id))]
    _check_still_owed(session, allocations)
    payment = _pay(session, actor, line, proposal.client_id, allocations, today,
                   accepted=proposal.id)
    proposal.status, proposal.decided_by_id, proposal.decided_at = (
        ProposalStatus.ACCEPTED, actor.id, utcnow())
    session.add(proposal)
    audit_record(session, actor=actor, action="bank_match.accept", entity_type="bank_match",
                 entity_id=proposal.id, details={
                     "line_id": line.id, "client_id": proposal.client_id,
                     "confidence": proposal.confidence, "payment_id": payment.id})
    session.flush()
    return payment


def proposals_accept_confident(session: Session, *, actor: User, min_confidence: int = HIGH,
                               statement_id: int | None = None,
                               today: date | None = None) -> AcceptResult:
    """Accept every waiting proposal from min_confidence up (of one statement, or all), the
    lines in booking date order. Each is accepted on its own (a savepoint): one that cannot
    be (an invoice paid meanwhile) is skipped with the reason, and the others stay accepted."""
    require(actor, Action.PAYMENTS_WRITE)
    if not 0 <= min_confidence <= MAX_CONFIDENCE:
        raise ValidationFailed(f"Choose a confidence from 0 to {MAX_CONFIDENCE}.",
                               field="min_confidence")
    query = (select(MatchProposal.id, MatchProposal.line_id)
             .join(BankStatementLine, BankStatementLine.id == MatchProposal.line_id)
             .where(MatchProposal.status == ProposalStatus.PROPOSED,
                    MatchProposal.confidence >= min_confidence,
                    BankStatementLine.status == LineStatus.OPEN)
             .order_by(BankStatementLine.booking_date, BankStatementLine.id))
    if statement_id is not None:
        query = query.where(BankStatementLine.statement_id == statement_id)
    accepted, skipped = [], []
    for proposal_id, line_id in session.exec(query).all():
        try:
            with session.begin_nested():
                proposal_accept(session, actor=actor, proposal_id=proposal_id, today=today)
        except BillingError as error:
            skipped.append(Skipped(proposal_id, line_id, error.message))
        else:
            accepted.append(proposal_id)
    audit_record(session, actor=actor, action="bank_match.accept_confident",
                 entity_type="bank_statement", entity_id=statement_id, details={
                     "min_confidence": min_confidence, "accepted": accepted,
                     "skipped": [skip.proposal_id for skip in skipped]})
    session.flush()
    return AcceptResult(accepted, skipped)


def proposal_reject(session: Session, *, actor: User, proposal_id: int) -> MatchProposal:
    """Not this client: the line stays open, and this client is not proposed for it again."""
    require(actor, Action.PAYMENTS_WRITE)
    proposal = _waiting_proposal(session, proposal_id)
    proposal.status, proposal.decided_by_id, proposal.decided_at = (
        ProposalStatus.REJECTED, actor.id, utcnow())
    session.add(proposal)
    audit_record(session, actor=actor, action="bank_match.reject", entity_type="bank_match",
                 entity_id=proposal.id, details={"line_id": proposal.line_id,
                                                 "client_id": proposal.client_id})
    session.flush()
    return proposal


def line_match_manually(session: Session, *, actor: User, line_id: int, client_id: int,
                        allocations: Sequence[AllocationIn | dict],
                        today: date | None = None) -> Payment:
    """The accountant's own reading of a line (open, or set aside): a payment from this
    client on these invoices; the rest is the client's credit. Waiting proposals of the
    line are rejected."""
    require(actor, Action.PAYMENTS_WRITE)
    allocations = [item if isinstance(item, AllocationIn) else
                   validated_item(AllocationIn, item, field="allocations", position=n, label=f"Allocation {n + 1}")
                   for n, item in enumerate(allocations)]
    line = _open_line(session, line_id)
    if line.amount <= 0:
        raise ValidationFailed("Only money received can be matched to a client's invoices.")
    payment = _pay(session, actor, line, client_id, allocations, today)
    audit_record(session, actor=actor, action="bank_line.match", entity_type="bank_line",
                 entity_id=line.id, details={"client_id": client_id, "payment_id": payment.id})
    session.flush()
    return payment


def line_ignore(session: Session, *, actor: User, line_id: int) -> BankStatementLine:
    """Set a line aside: not a customer payment (a refund, a transfer between accounts...)."""
    require(actor, Action.PAYMENTS_WRITE)
    line = _open_line(session, line_id)
    if line.status == LineStatus.IGNORED:
        return line
    line.status = LineStatus.IGNORED
    session.add(line)
    _reject_waiting(session, actor, line.id)
    audit_record(session, actor=actor, action="bank_line.ignore", entity_type="bank_line",
                 entity_id=line.id, details={"amount": str(line.amount),
                                             "currency": line.currency})
    session.flush()
    return line


def _waiting_proposal(session: Session, proposal_id: int) -> MatchProposal:
    """The proposal, locked; refused when it was decided already."""
    proposal = session.get(MatchProposal, proposal_id, with_for_update=True,
                           populate_existing=True)
    if proposal is None:
        raise NotFound("That proposal does not exist.")
    if proposal.status != ProposalStatus.PROPOSED:
        raise Conflict(f"This proposal was already {proposal.status}.")
    return proposal


def _open_line(session: Session, line_id: int) -> BankStatementLine:
    """The line, locked; refused when a payment was already recorded from it."""
    line = session.get(BankStatementLine, line_id, with_for_update=True, populate_existing=True)
    if line is None:
        raise NotFound("That statement line does not exist.")
    if line.status == LineStatus.MATCHED:
        raise Conflict("A payment was already recorded from this line.")
    return line


def _check_still_owed(session: Session, allocations: list[AllocationIn]) -> None:
    """Refuse, before anything is written, when an invoice no longer owes its part."""
    ids = sorted(allocation.invoice_id for allocation in allocations)
    invoices = {invoice.id: invoice for invoice in session.exec(
        select(Invoice).where(Invoice.id.in_(ids)).order_by(Invoice.id).with_for_update()
        .execution_options(populate_existing=True))}
    for allocation in allocations:
        invoice = invoices[allocation.invoice_id]
        if invoice.status not in OPEN_STATUSES:
            raise Conflict(f"{invoice.number} is {InvoiceStatus(invoice.status).label} now. "
                           "Reject this proposal or match the line by hand.")
        if invoice.balance_due < allocation.amount:
            left = format_money(invoice.balance_due, invoice.currency)
            raise Conflict(f"{invoice.number} was paid meanwhile: {left} is left to pay on it, "
                           f"less than the {format_money(allocation.amount, invoice.currency)} "
                           "proposed. Reject this proposal or match the line by hand.")


def _pay(session: Session, actor: User, line: BankStatementLine, client_id: int,
         allocations: list[AllocationIn], today: date | None,
         accepted: int | None = None) -> Payment:
    payer = ", ".join(part for part in (line.counterparty_name, line.counterparty_iban) if part)
    payment = payment_record(session, actor=actor, today=today, data=validated(PaymentIn, {
        "client_id": client_id, "payment_date": line.booking_date, "amount": line.amount,
        "currency": line.currency, "method": PaymentMethod.BANK_TRANSFER,
        "reference": line.reference[:_REFERENCE_LIMIT] or None,
        "notes": f"Bank statement line {line.id}" + (f" from {payer}" if payer else ""),
        "allocations": allocations,
    }))
    line.status, line.payment_id = LineStatus.MATCHED, payment.id
    session.add(line)
    if line.counterparty_iban:
        insert_rows(session, ACCOUNTS, [{
            "client_id": client_id, "iban": line.counterparty_iban,
            "holder_name": line.counterparty_name[:ACCOUNTS.c.holder_name.type.length],
            "learned_at": utcnow()}], skip_duplicates_of="iban")
    _reject_waiting(session, actor, line.id, keep=accepted)
    return payment


def _reject_waiting(session: Session, actor: User, line_id: int,
                    keep: int | None = None) -> None:
    """The line's proposals still waiting (but `keep`) are decided: rejected."""
    session.execute(update(MatchProposal).where(
        MatchProposal.line_id == line_id, MatchProposal.status == ProposalStatus.PROPOSED,
        MatchProposal.id != (keep or 0),
    ).values(status=ProposalStatus.REJECTED, decided_by_id=actor.id, decided_at=utcnow()))
