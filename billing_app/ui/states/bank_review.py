"""The review queue: payments received that wait for a decision, the most confident first.

The filters live in the URL (?statement=<id>&confidence=high), so the import's result and the
statement list can link to one statement's lines.
"""

import dataclasses
from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money
from billing_app.queries.banking import ReviewItem, review_queue, statements_page
from billing_app.services.banking import (
    HIGH,
    line_ignore,
    proposal_accept,
    proposal_reject,
    proposals_accept_confident,
)
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.bank_match import ManualMatch
from billing_app.ui.states.bank_reversals import ReversalReview
from billing_app.ui.states.form_values import outcome_toast, positive_int
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href
from billing_app.ui.states.paging import Paging

# filter -> (min_confidence, max_confidence) of review_queue; a line without a proposal counts as 0
CONFIDENCE_BOUNDS = {"": (None, None), "high": (HIGH, None), "review": (1, HIGH - 1), "unmatched": (None, 0)}
CONFIDENCE_OPTIONS = [("", "All"), ("high", f"High ({HIGH}% and more)"), ("review", "Needs review"),
                      ("unmatched", "Unmatched")]
STATEMENT_CHOICES = 50  # the newest statements offered in the filter


@dataclasses.dataclass
class ReviewLine:
    line_id: str = ""
    date: str = ""
    amount: str = ""
    payer: str = ""
    iban: str = ""
    reference: str = ""
    proposal_id: str = ""  # "" when nothing points to a client
    client: str = ""
    client_href: str = ""
    confidence: str = ""  # "92% — high"
    high: bool = False
    invoices: list[dict[str, str]] = dataclasses.field(default_factory=list)  # number, href, amount, balance
    evidence: list[str] = dataclasses.field(default_factory=list)
    credit: str = ""  # what would stay as the client's credit, "" when nothing


def _confidence_filter(value) -> str:
    """One of the filters; anything else (any URL can be typed) is all lines."""
    return value if isinstance(value, str) and value in CONFIDENCE_BOUNDS else ""


def review_line(item: ReviewItem) -> ReviewLine:
    line = ReviewLine(
        line_id=str(item.line_id), date=item.booking_date.isoformat(),
        amount=format_money(item.amount, item.currency), payer=item.counterparty_name,
        iban=item.counterparty_iban, reference=item.reference,
    )
    proposal = item.proposal
    if proposal is None:
        return line
    high = proposal.confidence >= HIGH
    return dataclasses.replace(
        line, proposal_id=str(proposal.proposal_id), client=proposal.client_name,
        client_href=href(routes.CLIENT, client_id=proposal.client_id),
        confidence=f"{proposal.confidence}% — {'high' if high else 'check'}", high=high,
        invoices=[{"number": invoice.number or "", "href": href(routes.INVOICE, invoice_id=invoice.invoice_id),
                   "amount": format_money(invoice.amount, item.currency),
                   "balance": format_money(invoice.balance_due, item.currency)} for invoice in proposal.invoices],
        evidence=list(proposal.evidence),
        credit=format_money(proposal.credit, item.currency) if proposal.credit > 0 else "",
    )


class BankReviewState(ManualMatch, ReversalReview, Paging, AuthState):
    lines: list[ReviewLine] = []
    loading: bool = True
    can_write: bool = False
    statement_ref: str = ""  # the statement whose lines are shown, "" for all
    confidence: str = ""
    statements: list[dict[str, str]] = []  # id, label: the choices of the statement filter
    high_count: int = 0  # lines the bulk accept would take
    skipped: list[str] = []  # why the last bulk accept left lines alone

    def _statement_id(self) -> int | None:
        return int(self.statement_ref) if self.statement_ref else None

    def _reload(self):
        statement_id = self._statement_id()
        low, high = CONFIDENCE_BOUNDS[self.confidence]

        def read(db, actor):
            page = review_queue(db, actor=actor, statement_id=statement_id, min_confidence=low,
                                max_confidence=high, offset=self.offset, limit=self.page_size)
            confident = review_queue(db, actor=actor, statement_id=statement_id, min_confidence=HIGH,
                                     limit=1).total_count
            newest = statements_page(db, actor=actor, limit=STATEMENT_CHOICES).rows
            self._load_reversals(db, actor, statement_id)
            return page, confident, newest

        result, error = self._run(Action.PAYMENTS_READ, read)
        self.loading = False
        if error:
            return rx.toast.error(error.message)
        page, self.high_count, newest = result
        self.lines, self.total = [review_line(item) for item in page.rows], page.total_count
        choices = [{"id": str(row.id), "label": f"{row.file_name} · {row.imported_at:%Y-%m-%d} (#{row.id})"}
                   for row in newest]
        if self.statement_ref and self.statement_ref not in {row["id"] for row in choices}:
            choices.append({"id": self.statement_ref, "label": f"Statement #{self.statement_ref}"})
        self.statements = choices
        return None

    @rx.event
    @in_thread
    def load(self):
        params = self.router.url.query_parameters
        chosen = positive_int(params.get("statement"))
        self.statement_ref = str(chosen) if chosen else ""
        self.confidence = _confidence_filter(params.get("confidence"))
        self.can_write = can(self.user_role, Action.PAYMENTS_WRITE)
        self.offset, self.skipped, self.match_open = 0, [], False
        self.loading = True
        yield
        yield self._reload()

    def _filtered(self, **changes: str):
        """The same page with other filters: through the URL, so it can be bookmarked and shared."""
        params = {"statement": self.statement_ref, "confidence": self.confidence, **changes}
        query = urlencode({key: value for key, value in params.items() if value})
        return rx.redirect(routes.BANK_REVIEW.route + (f"?{query}" if query else ""))

    @rx.event
    def set_statement(self, value: str):
        chosen = positive_int(value)
        return self._filtered(statement=str(chosen) if chosen else "")

    @rx.event
    def set_confidence(self, value: str):
        return self._filtered(confidence=_confidence_filter(value))

    # --- decisions: each checks PAYMENTS_WRITE on the server ------------------------------
    def _decide(self, ref: str, decide, success: str):
        """decide(db, actor, id) on the proposal or line `ref` names; the list shows the outcome."""
        chosen = positive_int(ref)
        if chosen is None:
            return None
        _, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: decide(db, actor, chosen))
        self.skipped = []
        return self._reload() or outcome_toast(error, success)

    @rx.event
    def accept(self, proposal_id: str):
        return self._decide(proposal_id, lambda db, actor, ref: proposal_accept(db, actor=actor, proposal_id=ref),
                            "Accepted: the payment is recorded on the invoices.")

    @rx.event
    def reject(self, proposal_id: str):
        return self._decide(proposal_id, lambda db, actor, ref: proposal_reject(db, actor=actor, proposal_id=ref),
                            "Rejected: the payment stays open for a match by hand.")

    @rx.event
    def ignore(self, line_id: str):
        return self._decide(line_id, lambda db, actor, ref: line_ignore(db, actor=actor, line_id=ref),
                            "Set aside: the line is not a client's payment.")

    @rx.event
    def accept_confident(self):
        statement_id = self._statement_id()
        result, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: proposals_accept_confident(
            db, actor=actor, statement_id=statement_id))
        failed = self._reload()
        if error:
            return rx.toast.error(error.message)
        self.skipped = [skip.reason for skip in result.skipped]
        return failed or rx.toast.success(f"{len(result.accepted)} accepted, {len(result.skipped)} skipped")
