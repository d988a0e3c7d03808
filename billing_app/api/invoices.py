"""Invoices: the filtered list, drafts, issue, cancel, copies and a totals preview.

Staff read every invoice. A client account reads its own client's issued invoices only;
anything else is "not found" to it, and it may change nothing.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, status
from sqlmodel import Session

from billing_app.api.deps import CurrentUser, DbSession, requires
from billing_app.api.invoice_schemas import (
    CancelBody,
    InvoiceDraftBody,
    InvoiceOut,
    InvoicePageOut,
    IssueBody,
    PreviewOut,
)
from billing_app.api.schemas import DbId, Limit, Offset, Search
from billing_app.auth.permissions import Action
from billing_app.domain.invoice_status import InvoiceStatus
from billing_app.models.users import User
from billing_app.queries.invoices import invoice_detail, invoices_page
from billing_app.queries.invoices.listing import SORTS as INVOICE_SORTS
from billing_app.services.invoices import (
    invoice_cancel,
    invoice_create_draft,
    invoice_duplicate,
    invoice_issue,
    invoice_preview_totals,
    invoice_update_draft,
)

router = APIRouter(prefix="/invoices", tags=["invoices"])

Writer = Annotated[User, Depends(requires(Action.INVOICES_WRITE))]
InvoiceId = Annotated[DbId, Path()]


@dataclass
class InvoiceFilters:
    """The list's filters, named as invoices_page takes them."""

    search: Search = ""
    status: Annotated[list[InvoiceStatus] | None, Query(
        description="One or several; overdue also matches open invoices past their due date.")
    ] = None
    client_id: Annotated[DbId | None, Query()] = None
    date_from: Annotated[date | None, Query(description="Issued on or after.")] = None
    date_to: Annotated[date | None, Query(description="Issued on or before.")] = None
    overdue: Annotated[bool | None, Query(description="true: overdue only; false: all others.")
                       ] = None
    sort: Annotated[Literal[tuple(INVOICE_SORTS)], Query(description=(
        "issue_date, number, total or due_date; a leading - reverses it."))] = "-issue_date"


@router.get("")
def invoices_list(session: DbSession, user: CurrentUser,
                  filters: Annotated[InvoiceFilters, Depends()], offset: Offset = 0,
                  limit: Limit = 25) -> InvoicePageOut:
    """A page of the invoices that match the filters, with the count and the sums per
    currency of all of them; search matches the start of the number (digits anywhere in it)
    or part of the client's name. Client accounts get their own issued invoices only."""
    page = invoices_page(session, actor=user, **vars(filters), offset=offset, limit=limit)
    return InvoicePageOut.of(page, offset=offset, limit=limit)


def invoice_out(session: Session, actor: User, invoice_id: int) -> InvoiceOut:
    """The invoice as the API shows it, read with the actor's rights."""
    return InvoiceOut.of(invoice_detail(session, actor=actor, invoice_id=invoice_id))


def _draft(body: InvoiceDraftBody) -> dict:
    return body.model_dump(exclude_unset=True)


@router.post("", status_code=status.HTTP_201_CREATED)
def invoices_create(body: InvoiceDraftBody, session: DbSession, actor: Writer) -> InvoiceOut:
    """A new draft with its lines; it gets a number when it is issued."""
    invoice = invoice_create_draft(session, actor=actor, data=_draft(body))
    return invoice_out(session, actor, invoice.id)


@router.post("/preview")
def invoices_preview(body: InvoiceDraftBody, session: DbSession, actor: Writer) -> PreviewOut:
    """The totals this draft would have, checked as saving checks it; nothing is saved."""
    return PreviewOut.of(invoice_preview_totals(session, actor=actor, data=_draft(body)))


@router.get("/{invoice_id}")
def invoices_get(invoice_id: InvoiceId, session: DbSession, user: CurrentUser) -> InvoiceOut:
    """The invoice with its lines and their taxes, taxes per rate, totals and history."""
    return invoice_out(session, user, invoice_id)


@router.put("/{invoice_id}")
def invoices_update(invoice_id: InvoiceId, body: InvoiceDraftBody, session: DbSession,
                    actor: Writer) -> InvoiceOut:
    """Replace a draft's fields and lines; issued invoices cannot change (409)."""
    invoice_update_draft(session, actor=actor, invoice_id=invoice_id, data=_draft(body))
    return invoice_out(session, actor, invoice_id)


@router.post("/{invoice_id}/issue")
def invoices_issue(invoice_id: InvoiceId, session: DbSession, actor: Writer,
                   body: IssueBody | None = None) -> InvoiceOut:
    """Number the draft: it is issued, and sent once emailed (/send) or marked as sent. Over
    the client's credit limit: 409 with the code credit_limit_exceeded, unless an admin
    overrides it."""
    override = body is not None and body.override_credit_limit
    invoice_issue(session, actor=actor, invoice_id=invoice_id, override_credit_limit=override)
    return invoice_out(session, actor, invoice_id)


@router.post("/{invoice_id}/cancel")
def invoices_cancel(invoice_id: InvoiceId, body: CancelBody, session: DbSession,
                    actor: Writer) -> InvoiceOut:
    """Discard a draft, or cancel an issued invoice without payments by a full credit note."""
    invoice_cancel(session, actor=actor, invoice_id=invoice_id, reason=body.reason)
    return invoice_out(session, actor, invoice_id)


@router.post("/{invoice_id}/duplicate", status_code=status.HTTP_201_CREATED)
def invoices_duplicate(invoice_id: InvoiceId, session: DbSession, actor: Writer) -> InvoiceOut:
    """A new draft with the same lines, issued today and due after the client's terms."""
    copy = invoice_duplicate(session, actor=actor, invoice_id=invoice_id)
    return invoice_out(session, actor, copy.id)
