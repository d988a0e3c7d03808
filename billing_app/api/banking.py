"""Bank statements: previewing and importing camt.053 and CSV files, the queue of payments
received waiting for review, and the decisions on them (accept, reject, match by hand, ignore).

Staff only: accountants and admins upload and decide, viewers read, client accounts get 403.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from sqlmodel import Session

from billing_app.api.banking_schemas import (
    AcceptConfidentBody,
    Camt053PreviewOut,
    Camt053StatementOut,
    CsvPreviewOut,
    ImportOut,
    LineOut,
    ManualMatchBody,
    ReversalOut,
    ReviewPageOut,
    StatementForm,
    StatementPageOut,
    named_as_in_the_form,
)
from billing_app.api.deps import DbSession, requires
from billing_app.api.payment_schemas import PaymentOut
from billing_app.api.schemas import DbId, Limit, Offset
from billing_app.api.uploads import Upload, multipart_body, read_upload
from billing_app.auth.permissions import Action
from billing_app.domain.statements import (
    MAX_FILE_BYTES,
    csv_preview,
    guess_mapping,
    looks_like_xml,
    parse_camt053,
)
from billing_app.errors import NotFound
from billing_app.models.banking import BankStatement
from billing_app.models.users import User
from billing_app.queries.banking import (
    CsvProfileView,
    csv_profiles,
    line_detail,
    review_queue,
    statements_page,
)
from billing_app.queries.payments import payment_detail
from billing_app.queries.reversals import reversals_waiting
from billing_app.services.banking import (
    AcceptResult,
    line_ignore,
    line_match_manually,
    proposal_accept,
    proposal_reject,
    proposals_accept_confident,
    reversal_accept,
    reversal_dismiss,
    statement_import,
)
from billing_app.services.validation import validated

router = APIRouter(prefix="/bank", tags=["bank statements"])

Reader = Annotated[User, Depends(requires(Action.PAYMENTS_READ))]
Writer = Annotated[User, Depends(requires(Action.PAYMENTS_WRITE))]
ProposalId = Annotated[DbId, Path()]
LineId = Annotated[DbId, Path()]
Confidence = Annotated[int | None, Query(ge=0, le=100)]

TOO_LARGE = (f"The upload is too large: a statement file may be at most "
             f"{MAX_FILE_BYTES // 1024 // 1024} MB. Export a shorter period.")
_FILE = ("A camt.053 (XML) or CSV bank statement; a CSV has a header row of column names, then "
         "one row per transaction, separated by commas or semicolons.")
_PREVIEW_BODY = multipart_body(_FILE)
_IMPORT_BODY = multipart_body(_FILE, **{name: field.description or name for name, field in
                                        StatementForm.model_fields.items()})


async def _statement_file(request: Request) -> Upload:
    return await read_upload(request, max_file_bytes=MAX_FILE_BYTES, too_large=TOO_LARGE,
                             what="the statement")


async def _statement_with_form(request: Request) -> Upload:
    return await read_upload(request, max_file_bytes=MAX_FILE_BYTES, too_large=TOO_LARGE,
                             what="the statement",
                             text_fields=tuple(StatementForm.model_fields))


def _existing_statement(session: Session, statement_id: int | None) -> None:
    """Asking about an unknown statement is "not found", not an empty answer."""
    if statement_id is not None and session.get(BankStatement, statement_id) is None:
        raise NotFound("That bank statement does not exist.")


def _payment(session: Session, actor: User, payment_id: int) -> PaymentOut:
    return PaymentOut.of(payment_detail(session, actor=actor, payment_id=payment_id))


def _line(session: Session, actor: User, line_id: int) -> LineOut:
    return LineOut.of(line_detail(session, actor=actor, line_id=line_id))


# --- statements --------------------------------------------------------------------------------

@router.post("/statements/preview", openapi_extra=_PREVIEW_BODY)
def statements_preview(_actor: Writer, upload: Annotated[Upload, Depends(_statement_file)],
                       ) -> CsvPreviewOut | Camt053PreviewOut:
    """What the file holds, before importing it; nothing is saved. For a CSV: its columns,
    first rows and a suggested mapping; for camt.053: each statement's account and lines."""
    if looks_like_xml(upload.content):
        return Camt053PreviewOut(statements=[Camt053StatementOut.of(statement)
                                             for statement in parse_camt053(upload.content)])
    preview = csv_preview(upload.content)
    return CsvPreviewOut.of(preview, guess_mapping(preview.headers))


@router.post("/statements", status_code=status.HTTP_201_CREATED, openapi_extra=_IMPORT_BODY,
             responses={200: {"description": "Every line was imported before: nothing was "
                                             "added.", "model": ImportOut}})
def statements_import(actor: Writer, upload: Annotated[Upload, Depends(_statement_with_form)],
                      session: DbSession, response: Response) -> ImportOut:
    """Import the lines not imported before and propose matches for the payments received.
    201 when a statement was stored; 200 with new_lines 0 when the file brought nothing new.
    Files over 20 MB get 413."""
    with named_as_in_the_form():
        form = validated(StatementForm, upload.fields)
        result = statement_import(session, actor=actor, file_name=upload.filename,
                                  data=upload.content, bank_profile=form.bank,
                                  mapping=form.mapping, default_currency=form.default_currency)
    if not result.statement_ids:
        response.status_code = status.HTTP_200_OK
    return ImportOut.of(result)


@router.get("/statements")
def statements_list(session: DbSession, actor: Reader, offset: Offset = 0,
                    limit: Limit = 25) -> StatementPageOut:
    """Imported statements, newest first, with how many lines are open, matched and ignored."""
    page = statements_page(session, actor=actor, offset=offset, limit=limit)
    return StatementPageOut.of(page, offset=offset, limit=limit)


@router.get("/csv-profiles")
def csv_profiles_list(session: DbSession, actor: Reader) -> list[CsvProfileView]:
    """The banks whose CSV columns are saved, by name."""
    return csv_profiles(session, actor=actor)


# --- the review queue and decisions ------------------------------------------------------------

@router.get("/review")
def review_list(session: DbSession, actor: Reader,
                statement_id: Annotated[DbId | None, Query()] = None,
                min_confidence: Confidence = None, max_confidence: Confidence = None,
                offset: Offset = 0, limit: Limit = 25) -> ReviewPageOut:
    """Open payments received with their proposed match, most confident first. A line with
    no proposal counts as confidence 0: max_confidence=0 lists only those."""
    _existing_statement(session, statement_id)
    page = review_queue(session, actor=actor, statement_id=statement_id,
                        min_confidence=min_confidence, max_confidence=max_confidence,
                        offset=offset, limit=limit)
    return ReviewPageOut.of(page, offset=offset, limit=limit)


@router.get("/lines/{line_id}")
def line_get(line_id: LineId, session: DbSession, actor: Reader) -> LineOut:
    """The line with every proposal made for it."""
    return _line(session, actor, line_id)


@router.post("/proposals/{proposal_id}/accept", status_code=status.HTTP_201_CREATED)
def proposal_accept_route(proposal_id: ProposalId, session: DbSession,
                          actor: Writer) -> PaymentOut:
    """Record the line as the proposed client's bank transfer on the proposed invoices;
    returns the payment. 409 when an invoice was paid or cancelled meanwhile."""
    payment = proposal_accept(session, actor=actor, proposal_id=proposal_id)
    return _payment(session, actor, payment.id)


@router.post("/proposals/{proposal_id}/reject")
def proposal_reject_route(proposal_id: ProposalId, session: DbSession,
                          actor: Writer) -> LineOut:
    """Not this client: the line stays open and this client is not proposed for it again;
    returns the line."""
    proposal = proposal_reject(session, actor=actor, proposal_id=proposal_id)
    return _line(session, actor, proposal.line_id)


@router.post("/proposals/accept-confident")
def proposals_accept_confident_route(session: DbSession, actor: Writer,
                                     body: AcceptConfidentBody | None = None,
                                     ) -> AcceptResult:
    """Accept every waiting proposal from min_confidence (80) up, each on its own: one that
    cannot be (an invoice paid meanwhile) is skipped with the reason."""
    body = body or AcceptConfidentBody()
    _existing_statement(session, body.statement_id)
    return proposals_accept_confident(session, actor=actor, min_confidence=body.min_confidence,
                                      statement_id=body.statement_id)


@router.post("/lines/{line_id}/match", status_code=status.HTTP_201_CREATED)
def line_match(line_id: LineId, body: ManualMatchBody, session: DbSession,
               actor: Writer) -> PaymentOut:
    """Record the line as this client's payment on these invoices (the rest is the client's
    credit); its waiting proposal is rejected. Returns the payment."""
    payment = line_match_manually(
        session, actor=actor, line_id=line_id, client_id=body.client_id,
        allocations=[allocation.model_dump() for allocation in body.allocations])
    return _payment(session, actor, payment.id)


@router.post("/lines/{line_id}/ignore")
def line_ignore_route(line_id: LineId, session: DbSession, actor: Writer) -> LineOut:
    """Set the line aside: not a customer payment. Returns the line."""
    line_ignore(session, actor=actor, line_id=line_id)
    return _line(session, actor, line_id)


# --- reversed and returned lines ---------------------------------------------------------------

@router.get("/reversals")
def reversals_list(session: DbSession, actor: Reader,
                   statement_id: Annotated[DbId | None, Query()] = None) -> list[ReversalOut]:
    """Reversed and returned lines waiting for a decision, each with what it would undo."""
    _existing_statement(session, statement_id)
    return [ReversalOut.of(item)
            for item in reversals_waiting(session, actor=actor, statement_id=statement_id)]


@router.post("/reversals/{proposal_id}/accept")
def reversal_accept_route(proposal_id: ProposalId, session: DbSession, actor: Writer) -> LineOut:
    """Do what it says: mark the payment returned (its invoices owe again), undo the refund
    (the client's credit again) or set the line aside. Returns the line."""
    proposal = reversal_accept(session, actor=actor, proposal_id=proposal_id)
    return _line(session, actor, proposal.line_id)


@router.post("/reversals/{proposal_id}/dismiss")
def reversal_dismiss_route(proposal_id: ProposalId, session: DbSession,
                           actor: Writer) -> LineOut:
    """Not what it says: nothing is undone and the line stays set aside. Returns the line."""
    proposal = reversal_dismiss(session, actor=actor, proposal_id=proposal_id)
    return _line(session, actor, proposal.line_id)
