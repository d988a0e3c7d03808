"""Proposals for open bank lines: which client paid which invoices, and why we think so.

Set-based, for thousands of lines against every open invoice at once: a few queries load the
lines, the open invoices, the learned accounts and the clients' names into pandas; merges
find the evidence (weighed in scoring.py: RF references, invoice numbers, known accounts,
names equal or resembling), group-bys choose the invoices and allocate. No loop runs over
lines x invoices (names are compared pre-bucketed, see keys.resembling); only the evidence
sentences are written line by line. Only ordinary money received is proposed (not a
reversal, a return, a bank charge or an entry not booked), against what waiting proposals
of other lines leave of each invoice.

Money is held as int64 ten-thousandths (the scale of the MONEY columns), so comparisons and
sums are exact; it turns back into Decimal for the rows written.
"""

import string
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import numpy as np
import pandas as pd
from babel import Locale
from sqlalchemy import BigInteger, cast, delete, func, select
from sqlmodel import Session

from billing_app.domain.creditor_reference import MAX_BODY
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.domain.statements.records import BOOKED
from billing_app.models.banking import (
    BankStatementLine,
    ClientBankAccount,
    LineStatus,
    MatchProposal,
    MatchProposalInvoice,
    ProposalStatus,
)
from billing_app.models.base import utcnow
from billing_app.models.clients import Client
from billing_app.models.company import Company
from billing_app.models.invoices import Invoice
from billing_app.services.banking import scoring
from billing_app.services.banking.bulk import among, insert_rows
from billing_app.services.banking.evidence import Findings, Mode, PaidInvoice, sentences
from billing_app.services.banking.keys import (
    creditor_references,
    name_keys,
    number_keys,
    reference_keys,
    resembling,
    searched_text,
)

UNITS = 10_000
"""Money in pandas: whole ten-thousandths of the currency unit, as int64."""
SHORT_KEY = 6
"""A number without its leading letters ("2026-00042" for INV-2026-00042) is a key too, when
it still has this many characters and no other invoice has it."""
LINE, CANDIDATE = ["line_id"], ["line_id", "client_id"]
PAID = [*CANDIDATE, "invoice_id", "invoice_number", "balance", "reserved", "due_date",
        "allocated", "named", "by_rf", "cut"]
"""What a proposal puts on each invoice, and why (see evidence.PaidInvoice)."""
EVIDENCE = ["rf", "number", "iban", "name", "resembles"]
"""What may point a line to a client (weighed in scoring.py)."""
L, I = BankStatementLine.__table__.c, Invoice.__table__.c
C, A = Client.__table__.c, ClientBankAccount.__table__.c
P, PI = MatchProposal.__table__.c, MatchProposalInvoice.__table__.c


def proposals_build(session: Session, line_ids: list[int],
                    timings: dict[str, float] | None = None) -> int:
    """Propose, for each of these lines that is an open credit, the client and invoices it
    most likely pays; returns the number of proposals written. A line's earlier proposals
    still waiting for a decision are replaced; a client once rejected for it is not proposed
    again. A line where nothing points to a client gets no proposal.

    No permission check: a building block for services that have checked their actor.
    `timings`, when given, receives the seconds spent loading, matching and writing.
    """
    timings = {} if timings is None else timings
    session.flush()
    with _timed(timings, "load"):
        data = _load(session, line_ids)
    with _timed(timings, "match"):
        rows = _proposal_rows(*data, locale=_locale(session)) if data else []
    with _timed(timings, "write"):
        return _write(session, line_ids, rows)


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[step] = timings.get(step, 0) + time.perf_counter() - started


# --- Loading -------------------------------------------------------------------------------


def _units(column):
    """Money as whole ten-thousandths, exact on PostgreSQL and SQLite alike."""
    return cast(func.round(column * UNITS), BigInteger)


def _frame(session: Session, statement, **types: str) -> pd.DataFrame:
    """The rows as a DataFrame, columns of the given types ("date" for dates) even when empty."""
    result = session.connection().execute(statement)
    names, rows = list(result.keys()), result.all()
    if not rows:  # typeless columns: text, unless types says otherwise
        return pd.DataFrame({name: [] for name in names}, dtype=str).astype(
            {name: "datetime64[ns]" if kind == "date" else kind for name, kind in types.items()})
    frame = pd.DataFrame(dict(zip(names, zip(*rows), strict=True)))
    for column, kind in types.items():
        frame[column] = (pd.to_datetime(frame[column]) if kind == "date"
                         else frame[column].astype(kind))
    return frame


def _load(session: Session, line_ids: list[int]) -> tuple[pd.DataFrame, ...] | None:
    """The open lines among line_ids that are money received, the open invoices in their
    currencies, the learned accounts of their payers, the names of the clients that owe
    something and the clients already rejected for these lines.

    An invoice's balance is what is left of it after the waiting proposals of other lines
    (the reserved amount): two payments are not both proposed for the same open amount.
    A proposal rejected or accepted reserves nothing any more."""
    lines = _frame(session, select(
        L.id.label("line_id"), L.booking_date, _units(L.amount).label("amount"), L.currency,
        L.reference, L.creditor_reference, L.counterparty_name, L.counterparty_iban,
    ).where(among(session, L.id, line_ids), L.status == LineStatus.OPEN.value, L.amount > 0,
            ~L.reversal, ~L.returned, ~L.bank_charge, L.entry_status == BOOKED),
        line_id="int64", amount="int64", booking_date="date")
    if lines.empty:
        return None
    owing = (I.status.in_([status.value for status in OPEN_STATUSES]), I.balance_due > 0,
             I.currency.in_(lines.currency.unique().tolist()))
    reserved = (select(PI.invoice_id, func.sum(PI.amount).label("amount"))
                .select_from(MatchProposalInvoice.__table__.join(
                    MatchProposal.__table__, P.id == PI.proposal_id))
                .where(P.status == ProposalStatus.PROPOSED.value,
                       ~among(session, P.line_id, line_ids))
                .group_by(PI.invoice_id).subquery())
    invoices = _frame(session, select(
        I.id.label("invoice_id"), I.number.label("invoice_number"), I.client_id, I.currency,
        _units(I.balance_due).label("balance"), I.due_date,
        _units(func.coalesce(reserved.c.amount, 0)).label("reserved"),
    ).select_from(Invoice.__table__.outerjoin(reserved, reserved.c.invoice_id == I.id))
        .where(*owing, I.number.is_not(None)),
        invoice_id="int64", client_id="int64", balance="int64", due_date="date",
        reserved="int64")
    invoices["balance"] = np.maximum(invoices.balance - invoices.reserved, 0)
    invoices["number_key"] = number_keys(invoices.invoice_number)
    payers = lines.counterparty_iban[lines.counterparty_iban != ""].unique().tolist()
    accounts = _frame(session, select(A.iban, A.client_id).where(among(session, A.iban, payers)),
                      client_id="int64")
    clients = _frame(session, select(C.id.label("client_id"), C.name.label("client_name"))
                     .where(C.id.in_(select(I.client_id).where(*owing).distinct())),
                     client_id="int64")
    rejected = _frame(session, select(P.line_id, P.client_id).where(
        among(session, P.line_id, lines.line_id.tolist()),
        P.status == ProposalStatus.REJECTED.value), line_id="int64", client_id="int64")
    return lines, invoices, accounts, clients, rejected


# --- Matching ------------------------------------------------------------------------------


def _match(lines, invoices, accounts, clients, rejected,
           references) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best proposal per line (one row each) and what it pays on each invoice;
    references are the lines' RF references (keys.creditor_references)."""
    number_hits = _number_hits(lines, invoices)
    rf_hits = _rf_hits(lines, invoices, references)
    hits = (pd.concat([number_hits.assign(by_rf=False), rf_hits.assign(by_rf=True)])
            .groupby(["line_id", "invoice_id", "client_id"], as_index=False).by_rf.max())
    candidates = _candidates(lines, number_hits, rf_hits, accounts, clients, rejected)
    pairs = _pairs(candidates, hits, invoices)
    if pairs.empty:  # nothing points to a client that is owed something
        return pairs, pairs
    kept = _choose_invoices(pairs)
    chosen = _best(_score(kept))
    paid = _allocate(kept.merge(chosen[CANDIDATE], on=CANDIDATE))
    return _final_scores(chosen, paid), paid


def _number_hits(lines: pd.DataFrame, invoices: pd.DataFrame) -> pd.DataFrame:
    """(line, invoice, client) for each open invoice whose number is in the line's reference,
    in the line's currency. RF references are not read as numbers (see keys.searched_text)."""
    keys = invoices[["invoice_id"]].assign(key=invoices.number_key)
    short = keys.assign(key=keys.key.str.lstrip(string.ascii_uppercase))
    short = short[(short.key.str.len() >= SHORT_KEY) & ~short.key.isin(keys.key)]
    keys = pd.concat([keys, short.drop_duplicates("key", keep=False)])
    text = searched_text(lines.set_index("line_id").reference,
                         lines.set_index("line_id").creditor_reference)
    found = reference_keys(text).merge(keys, on="key")
    return _in_currency(found, lines, invoices)[["line_id", "invoice_id", "client_id"]]


def _rf_hits(lines, invoices, references) -> pd.DataFrame:
    """(line, invoice, client) for each open invoice whose RF creditor reference is in the
    line with the right check digits. An invoice's reference is RF, check digits and the
    end of its number key (domain/creditor_reference.py): a reference whose check digits
    are right and whose rest is that end is the invoice's."""
    valid = references[references.valid]
    found = valid.assign(key=valid.rf.str[4:]).merge(
        invoices[["invoice_id"]].assign(key=invoices.number_key.str[-MAX_BODY:]), on="key")
    return _in_currency(found, lines, invoices)[["line_id", "invoice_id", "client_id"]]


def _in_currency(found: pd.DataFrame, lines, invoices) -> pd.DataFrame:
    """The (line, invoice) rows found where both are in one currency, with the client."""
    return (found.merge(lines[["line_id", "currency"]], on="line_id")
            .merge(invoices[["invoice_id", "client_id", "currency"]],
                   on=["invoice_id", "currency"])
            .drop_duplicates(["line_id", "invoice_id"]))


def _flags(frame: pd.DataFrame, flag: str) -> pd.DataFrame:
    found = frame[CANDIDATE].assign(**dict.fromkeys(EVIDENCE, False))
    found[flag] = True
    return found


def _candidates(lines, number_hits, rf_hits, accounts, clients, rejected) -> pd.DataFrame:
    """Each (line, client) that some evidence points to: an RF reference, an invoice
    number, the payer's account, the payer's name or one resembling it (resembles_score);
    minus the clients rejected for the line."""
    by_account = lines.merge(accounts, left_on="counterparty_iban", right_on="iban")
    payers = lines[["line_id"]].assign(key=name_keys(lines.counterparty_name))
    named = clients[["client_id"]].assign(key=name_keys(clients.client_name))
    payers, named = payers[payers.key != ""], named[named.key != ""]
    by_name = payers.merge(named, on="key")
    unnamed = payers[~payers.line_id.isin(by_name.line_id)]
    by_resemblance = (unnamed.merge(resembling(unnamed.key, named.key, scoring.RESEMBLES_FROM),
                                    left_on="key", right_on="payer")
                      .merge(named, left_on="name", right_on="key"))
    found = (pd.concat([_flags(rf_hits, "rf"), _flags(number_hits, "number"),
                        _flags(by_account, "iban"), _flags(by_name, "name"),
                        _flags(by_resemblance, "resembles")
                        .assign(resembles_score=by_resemblance.score.astype("int64"))])
             .fillna({"resembles_score": 0})
             .groupby(CANDIDATE, as_index=False).max())
    found = found.merge(rejected.drop_duplicates(), on=CANDIDATE, how="left", indicator=True)
    found = found[found.pop("_merge") == "left_only"]
    return found.merge(lines[["line_id", "booking_date", "amount", "currency"]], on="line_id")


def _pairs(candidates, hits, invoices) -> pd.DataFrame:
    """Each candidate with the invoices it may pay: those named in the reference (by
    number or RF reference, even when waiting proposals hold all their balance) when there
    are any, else the client's open invoices in the line's currency with a balance left;
    due date order."""
    naming = candidates.number | candidates.rf
    named = candidates[naming].merge(hits, on=CANDIDATE).assign(named=True)
    others = (candidates[~naming]
              .merge(invoices.loc[invoices.balance > 0, ["invoice_id", "client_id", "currency"]],
                     on=["client_id", "currency"]).assign(named=False, by_rf=False))
    pairs = pd.concat([named, others], ignore_index=True).merge(
        invoices[["invoice_id", "invoice_number", "balance", "reserved", "due_date"]],
        on="invoice_id")
    return pairs.sort_values([*CANDIDATE, "due_date", "invoice_id"], ignore_index=True)


def _choose_invoices(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs of the invoices chosen for each candidate, marked with how (Mode)."""
    pairs = pairs.copy()
    pairs["exact"] = pairs.balance == pairs.amount
    pairs["gap"] = (pairs.amount - pairs.balance).abs()
    tolerance = np.maximum(pairs.balance // scoring.CLOSE_SHARE, scoring.CLOSE_UNITS * UNITS)
    pairs["close"] = ~pairs.exact & (pairs.gap <= tolerance)
    grouped = pairs.groupby(CANDIDATE)
    total, count = grouped.balance.transform("sum"), grouped.balance.transform("size")
    adds_up = total == pairs.amount
    pairs["mode"] = np.select(
        [pairs.named & adds_up, pairs.named & (count == 1) & pairs.close, pairs.named,
         grouped.exact.transform("any"), adds_up, grouped.close.transform("any")],
        [Mode.EXACT_ALL, Mode.CLOSE, Mode.NAMED, Mode.EXACT_ONE, Mode.EXACT_ALL, Mode.CLOSE],
        default=Mode.OLDEST)
    first_exact = pairs[pairs.exact].groupby(CANDIDATE).head(1).index
    nearest = (pairs[pairs.close].sort_values(["gap", "due_date", "invoice_id"])
               .groupby(CANDIDATE).head(1).index)
    keep = (pairs["mode"].isin([Mode.EXACT_ALL, Mode.NAMED, Mode.OLDEST])
            | ((pairs["mode"] == Mode.EXACT_ONE) & pairs.index.isin(first_exact))
            | ((pairs["mode"] == Mode.CLOSE) & pairs.index.isin(nearest)))
    kept = pairs[keep].copy()
    kept["together_with"] = _together(kept)
    return kept


def _together(pairs: pd.DataFrame) -> pd.Series:
    """For a line naming one invoice and paying part of it: how many other such lines there
    are when their amounts add up to its balance (several lines paying one invoice), else 0."""
    single = (pairs["mode"] == Mode.NAMED) & (pairs.groupby(CANDIDATE).invoice_id
                                               .transform("size") == 1)
    sharing = pairs[single].groupby("invoice_id").amount
    adds_up = ((sharing.transform("sum") == pairs.balance[single])
               & (sharing.transform("size") > 1))
    others = (sharing.transform("size") - 1).where(adds_up, 0)
    return others.reindex(pairs.index, fill_value=0)


def _score(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate with its confidence."""
    near = (pairs.booking_date - pairs.due_date).abs() <= pd.Timedelta(
        days=scoring.DUE_WINDOW_DAYS)
    pairs = pairs.assign(near_due=near & (pairs["mode"] != Mode.OLDEST))
    candidates = pairs.groupby(CANDIDATE, as_index=False, sort=False).agg(
        **{flag: (flag, "first") for flag in [*EVIDENCE, "resembles_score", "mode"]},
        together_with=("together_with", "max"), near_due=("near_due", "any"))
    candidates["cut"] = False
    return _confidence(candidates)


def _confidence(candidates: pd.DataFrame) -> pd.DataFrame:
    exact = candidates["mode"].isin([Mode.EXACT_ONE, Mode.EXACT_ALL]) | (
        candidates.together_with > 0)
    amount = np.select([exact, candidates["mode"] == Mode.CLOSE],
                       [scoring.AMOUNT_EXACT, scoring.AMOUNT_CLOSE], default=0)
    points = (scoring.RF * candidates.rf + scoring.NUMBER * candidates.number
              + scoring.IBAN * candidates.iban + scoring.NAME * candidates.name
              + scoring.NAME_RESEMBLES * candidates.resembles
              + scoring.DUE_DATE * candidates.near_due
              + np.where(candidates.cut, 0, amount))  # an amount paid elsewhere proves nothing
    candidates["confidence"] = np.minimum(points, scoring.MAX_CONFIDENCE).astype(int)
    return candidates


def _best(candidates: pd.DataFrame) -> pd.DataFrame:
    """Per line, the client an RF reference points to, else the most confident."""
    ranked = candidates.sort_values(["line_id", "rf", "confidence", "client_id"],
                                    ascending=[True, False, False, True])
    return ranked.drop_duplicates("line_id", ignore_index=True)


def _allocate(pairs: pd.DataFrame) -> pd.DataFrame:
    """What each chosen line pays on each of its invoices. Within a line, the invoices in
    due date order as far as the amount goes; an invoice is paid by the lines in booking
    date order, never beyond its balance. Lines with nothing pointing to invoices (OLDEST)
    share what the others left of their client's invoices, oldest due first."""
    planned = pairs[pairs["mode"] != Mode.OLDEST].copy()
    before = planned.groupby(LINE).balance.cumsum() - planned.balance
    planned["wanted"] = np.minimum(np.maximum(planned.amount - before, 0), planned.balance)
    planned.sort_values(["invoice_id", "booking_date", "line_id"], inplace=True)
    earlier = planned.groupby("invoice_id").wanted.cumsum() - planned.wanted
    planned["allocated"] = np.minimum(planned.wanted,
                                      np.maximum(planned.balance - earlier, 0))
    planned["cut"] = planned.allocated < planned.wanted
    taken = planned.groupby("invoice_id").allocated.sum()
    oldest = _oldest_first(pairs[pairs["mode"] == Mode.OLDEST], taken)
    paid = pd.concat([planned[PAID], oldest], ignore_index=True)
    return paid.sort_values(["line_id", "due_date", "invoice_id"], ignore_index=True)


def _oldest_first(pairs: pd.DataFrame, taken: pd.Series) -> pd.DataFrame:
    """Per client and currency, the lines (booking date order) laid end to end against the
    invoices' unpaid balances (due date order): each line pays the stretches that overlap."""
    by_client = ["client_id", "currency"]
    lines = pairs.drop_duplicates("line_id").sort_values(["booking_date", "line_id"])
    lines = lines[[*CANDIDATE, "currency"]].assign(amount=lines.amount)
    lines["end"] = lines.groupby(by_client).amount.cumsum()
    left = pairs.balance - pairs.invoice_id.map(taken).fillna(0).astype("int64")
    invoices = pairs.assign(left=left).drop_duplicates("invoice_id")
    invoices = invoices[invoices.left > 0].sort_values(["due_date", "invoice_id"])
    invoices = invoices[["invoice_id", "invoice_number", "balance", "reserved", "due_date",
                         "left", *by_client]]
    invoices["until"] = invoices.groupby(by_client).left.cumsum()
    overlap = lines.merge(invoices, on=by_client)
    overlap["allocated"] = (np.minimum(overlap.end, overlap.until)
                            - np.maximum(overlap.end - overlap.amount,
                                         overlap.until - overlap.left))
    found = overlap[overlap.allocated > 0].assign(named=False, by_rf=False, cut=False)
    return found[PAID]


def _final_scores(chosen: pd.DataFrame, paid: pd.DataFrame) -> pd.DataFrame:
    """The chosen proposals scored again on what they really pay: an invoice already paid
    by earlier lines takes away the amount's evidence."""
    cut = paid.groupby(LINE).cut.any()
    chosen["cut"] = chosen.line_id.map(cut).fillna(False).astype(bool)
    return _confidence(chosen)


# --- Writing -------------------------------------------------------------------------------


def _money(units: int) -> Decimal:
    return Decimal(int(units)).scaleb(-4)


def _locale(session: Session) -> Locale:
    """The company's, parsed once (Babel would parse a locale name for every amount)."""
    name = session.scalar(select(Company.locale).order_by(Company.id).limit(1))
    return Locale.parse(name or "en_US")


def _proposal_rows(lines, invoices, accounts, clients, rejected, *,
                   locale: Locale) -> list[tuple[dict, list[dict]]]:
    """(proposal row, its invoice rows) per proposal, with the evidence in sentences."""
    by_line = lines.set_index("line_id")
    references = creditor_references(by_line.reference, by_line.creditor_reference)
    proposals, paid = _match(lines, invoices, accounts, clients, rejected, references)
    if proposals.empty:
        return []
    paid_by_line, typos = defaultdict(list), defaultdict(list)
    for row in paid.itertuples(index=False):
        paid_by_line[row.line_id].append(PaidInvoice(
            int(row.invoice_id), row.invoice_number, _money(row.balance), _money(row.allocated),
            row.due_date.date(), bool(row.named), bool(row.cut), by_rf=bool(row.by_rf),
            reserved=_money(row.reserved)))
    for row in references[~references.valid].itertuples(index=False):
        typos[row.line_id].append(row.rf)
    now, rows = utcnow(), []
    described = proposals.merge(lines, on="line_id").merge(clients, on="client_id")
    for proposal in described.itertuples(index=False):
        found = Findings(
            amount=_money(proposal.amount), currency=proposal.currency,
            booking_date=proposal.booking_date.date(), payer_name=proposal.counterparty_name,
            payer_iban=proposal.counterparty_iban, client_name=proposal.client_name,
            rf=bool(proposal.rf), number=bool(proposal.number), iban=bool(proposal.iban),
            name=bool(proposal.name), resembles=int(proposal.resembles_score),
            rf_typos=tuple(typos[proposal.line_id]), mode=Mode(proposal.mode),
            together_with=int(proposal.together_with), near_due=bool(proposal.near_due),
            invoices=paid_by_line[proposal.line_id], locale=locale)
        rows.append((
            {"line_id": int(proposal.line_id), "client_id": int(proposal.client_id),
             "confidence": int(proposal.confidence), "evidence": sentences(found),
             "status": ProposalStatus.PROPOSED.value, "created_at": now},
            [{"invoice_id": invoice.invoice_id, "amount": invoice.allocated}
             for invoice in found.invoices if invoice.allocated > 0],
        ))
    return rows


def _write(session: Session, line_ids: list[int], rows: list[tuple[dict, list[dict]]]) -> int:
    """Replace the lines' waiting proposals by these, in a few statements."""
    connection = session.connection()
    waiting = (among(session, P.line_id, line_ids), P.status == ProposalStatus.PROPOSED.value)
    connection.execute(delete(MatchProposalInvoice.__table__)
                       .where(PI.proposal_id.in_(select(P.id).where(*waiting))))
    connection.execute(delete(MatchProposal.__table__).where(*waiting))
    made = insert_rows(session, MatchProposal.__table__, [proposal for proposal, _ in rows],
                       returning=[P.line_id, P.id])
    proposal_ids = dict(made)  # one proposal per line
    insert_rows(session, MatchProposalInvoice.__table__, [
        {**invoice, "proposal_id": proposal_ids[proposal["line_id"]]}
        for proposal, invoices in rows for invoice in invoices])
    return len(made)
