"""Reads of imported bank statements, the review queue of their lines and the saved CSV
column mappings, for the UI and the API. Money comes back as Decimal in the line's currency."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Generic, TypeVar

from sqlalchemy import and_, func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import quantize_money
from billing_app.domain.statements import CsvMapping
from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.banking import (
    BankCsvProfile,
    BankStatement,
    BankStatementLine,
    LineStatus,
    MatchProposal,
    MatchProposalInvoice,
    ProposalStatus,
)
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.users import User

MAX_PAGE = 200
Row = TypeVar("Row")
Line, Proposal = BankStatementLine, MatchProposal


@dataclass(frozen=True)
class StatementRow:
    id: int
    file_name: str
    source: str
    account_iban: str | None
    statement_ref: str | None
    imported_at: datetime
    imported_by: str | None
    line_count: int  # lines in the file
    new_line_count: int  # of them, stored by this import (the others came earlier)
    open_count: int
    matched_count: int
    ignored_count: int


@dataclass(frozen=True)
class ProposedInvoice:
    invoice_id: int
    number: str | None
    balance_due: Decimal  # what the invoice owes now
    amount: Decimal  # what the proposal puts on it


@dataclass(frozen=True)
class ProposalView:
    proposal_id: int
    client_id: int
    client_name: str
    confidence: int
    evidence: list[str]
    status: str
    invoices: list[ProposedInvoice]
    credit: Decimal  # the part of the line no invoice takes: the client's credit if accepted
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class ReviewItem:
    line_id: int
    statement_id: int
    booking_date: date
    amount: Decimal
    currency: str
    reference: str
    counterparty_name: str
    counterparty_iban: str
    proposal: ProposalView | None  # None: nothing points to a client (unmatched)


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    total_count: int


@dataclass(frozen=True)
class CsvProfileView:
    id: int
    name: str
    mapping: CsvMapping
    default_currency: str
    updated_at: datetime


@dataclass(frozen=True)
class LineDetail:
    line: BankStatementLine
    file_name: str
    proposals: list[ProposalView]  # all of them, decided ones too, newest first


def _paging(offset: int, limit: int) -> None:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"Ask for 1 to {MAX_PAGE} rows from a position of 0 or more.")


def _money(amount, currency: str) -> Decimal:
    return quantize_money(Decimal(amount), currency)


def statements_page(session: Session, *, actor: User, offset: int = 0,
                    limit: int = 25) -> Page[StatementRow]:
    """Imported statements, newest first, with how many of their lines are open, matched
    and set aside."""
    require(actor, Action.PAYMENTS_READ)
    _paging(offset, limit)

    rows = session.exec(
        select(BankStatement, User.name).outerjoin(User, User.id == BankStatement.imported_by_id)
        .order_by(BankStatement.imported_at.desc(), BankStatement.id.desc())
        .offset(offset).limit(limit)).all()
    total = session.exec(select(func.count()).select_from(BankStatement)).one()
    counts = defaultdict(int)  # (statement id, line status) -> lines, for this page only
    for statement_id, status, count in session.exec(
            select(Line.statement_id, Line.status, func.count())
            .where(Line.statement_id.in_([statement.id for statement, _ in rows]))
            .group_by(Line.statement_id, Line.status)):
        counts[statement_id, status] = count
    return Page(rows=[
        StatementRow(s.id, s.file_name, s.source, s.account_iban, s.statement_ref,
                     s.imported_at, name, s.line_count, s.new_line_count,
                     *(counts[s.id, status] for status in
                       (LineStatus.OPEN, LineStatus.MATCHED, LineStatus.IGNORED)))
        for s, name in rows], total_count=total)


def review_queue(session: Session, *, actor: User, statement_id: int | None = None,
                 min_confidence: int | None = None, max_confidence: int | None = None,
                 offset: int = 0, limit: int = 25) -> Page[ReviewItem]:
    """The open payments received, each with its waiting proposal, most confident first.

    A line without a proposal counts as confidence 0 for the filters: max_confidence=0
    gives the unmatched lines only, min_confidence=1 those with a proposal only.
    """
    require(actor, Action.PAYMENTS_READ)
    _paging(offset, limit)
    confidence = func.coalesce(Proposal.confidence, 0)
    conditions = [Line.status == LineStatus.OPEN, Line.amount > 0]
    if statement_id is not None:
        conditions.append(Line.statement_id == statement_id)
    if min_confidence is not None:
        conditions.append(confidence >= min_confidence)
    if max_confidence is not None:
        conditions.append(confidence <= max_confidence)
    waiting = and_(Proposal.line_id == Line.id, Proposal.status == ProposalStatus.PROPOSED)
    joined = select(Line, Proposal.id).outerjoin(Proposal, waiting).where(*conditions)
    rows = session.exec(joined.order_by(confidence.desc(), Line.booking_date, Line.id)
                        .offset(offset).limit(limit)).all()
    total = session.exec(select(func.count()).select_from(joined.subquery())).one()
    proposals = _proposal_views(session, [pid for _, pid in rows if pid is not None])
    return Page(rows=[
        ReviewItem(line.id, line.statement_id, line.booking_date,
                   _money(line.amount, line.currency), line.currency, line.reference,
                   line.counterparty_name, line.counterparty_iban,
                   proposals[pid] if pid is not None else None)
        for line, pid in rows], total_count=total)


def line_detail(session: Session, *, actor: User, line_id: int) -> LineDetail:
    require(actor, Action.PAYMENTS_READ)
    found = session.exec(select(Line, BankStatement.file_name)
                         .join(BankStatement, BankStatement.id == Line.statement_id)
                         .where(Line.id == line_id)).first()
    if found is None:
        raise NotFound("That statement line does not exist.")
    line, file_name = found
    ids = session.exec(select(Proposal.id).where(Proposal.line_id == line_id)
                       .order_by(Proposal.created_at.desc(), Proposal.id.desc())).all()
    views = _proposal_views(session, list(ids))
    return LineDetail(line=line, file_name=file_name, proposals=[views[pid] for pid in ids])


def csv_profiles(session: Session, *, actor: User) -> list[CsvProfileView]:
    """The banks whose CSV columns are saved, by name."""
    require(actor, Action.PAYMENTS_READ)
    return [CsvProfileView(p.id, p.name, CsvMapping.from_json(p.mapping), p.default_currency,
                           p.updated_at)
            for p in session.exec(select(BankCsvProfile).order_by(BankCsvProfile.name))]


def _proposal_views(session: Session, ids: list[int]) -> dict[int, ProposalView]:
    """The proposals with their client, decider and invoices; two queries however many."""
    if not ids:
        return {}
    invoices = defaultdict(list)
    for row in session.exec(
            select(MatchProposalInvoice, Invoice.number, Invoice.balance_due, Invoice.currency)
            .join(Invoice, Invoice.id == MatchProposalInvoice.invoice_id)
            .where(MatchProposalInvoice.proposal_id.in_(ids))
            .order_by(Invoice.due_date, Invoice.id)):
        part, number, balance, currency = row
        invoices[part.proposal_id].append(ProposedInvoice(
            part.invoice_id, number, _money(balance, currency), _money(part.amount, currency)))
    views = {}
    for proposal, client_name, decided_by, amount, currency in session.exec(
            select(Proposal, Client.name, User.name, Line.amount, Line.currency)
            .join(Client, Client.id == Proposal.client_id)
            .join(Line, Line.id == Proposal.line_id)
            .outerjoin(User, User.id == Proposal.decided_by_id)
            .where(Proposal.id.in_(ids))):
        parts = invoices[proposal.id]
        credit = _money(amount, currency) - sum((part.amount for part in parts), Decimal(0))
        views[proposal.id] = ProposalView(
            proposal.id, proposal.client_id, client_name, proposal.confidence,
            list(proposal.evidence), proposal.status, parts, credit, decided_by,
            proposal.decided_at)
    return views
