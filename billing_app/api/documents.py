"""PDF downloads: invoices, credit notes, payment receipts, account statements and the kept
copies of sent PDFs, for API tokens (/api/v1/...) and for the browser's session cookie
(/files/..., what the pages' "Download PDF" links open).

The read rules are the documents' own: staff read any, a client user its own client's, and
anything else is "not found", whether it exists or not.
"""

import re
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlmodel import Session

from billing_app.api.deps import CurrentUser, DbSession
from billing_app.api.downloads import cookie_user
from billing_app.api.schemas import DbId
from billing_app.documents import (
    RenderedDocument,
    credit_note_pdf,
    invoice_pdf,
    receipt_pdf,
    sent_document_read,
    statement_pdf,
)
from billing_app.models.users import User
from billing_app.models.inputs import CurrencyCode

PDF = {200: {"content": {"application/pdf": {}}, "description": "The PDF file."}}
Id = Annotated[DbId, Path()]
DateFrom = Annotated[date, Query(description="The first day of the statement's period.")]
DateTo = Annotated[date, Query(description="Its last day: on or after date_from.")]
Currency = Annotated[CurrencyCode | None, Query(description="The client's when left out.")]


def _file(document: RenderedDocument) -> Response:
    """The PDF as a download; never cached, since it holds a client's figures."""
    name = document.filename  # kept copies keep the name a sending service gave them
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(document.content, media_type=document.media_type, headers={
        "Content-Disposition": disposition, "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff"})


def _kept(session: Session, actor: User, sent_document_id: int) -> RenderedDocument:
    document, content = sent_document_read(session, actor=actor, sent_document_id=sent_document_id)
    return RenderedDocument(document.filename, content)


# --- the JSON API: bearer tokens ------------------------------------------------------------

api = APIRouter(tags=["documents"], responses=PDF)


@api.get("/invoices/{invoice_id}/pdf", response_class=Response)
def invoice_pdf_get(invoice_id: Id, session: DbSession, user: CurrentUser) -> Response:
    """The invoice as a PDF (a draft has DRAFT across each page)."""
    return _file(invoice_pdf(session, actor=user, invoice_id=invoice_id))


@api.get("/credit-notes/{credit_note_id}/pdf", response_class=Response)
def credit_note_pdf_get(credit_note_id: Id, session: DbSession, user: CurrentUser) -> Response:
    return _file(credit_note_pdf(session, actor=user, credit_note_id=credit_note_id))


@api.get("/payments/{payment_id}/receipt.pdf", response_class=Response)
def receipt_pdf_get(payment_id: Id, session: DbSession, user: CurrentUser) -> Response:
    return _file(receipt_pdf(session, actor=user, payment_id=payment_id))


@api.get("/clients/{client_id}/statement.pdf", response_class=Response)
def statement_pdf_get(client_id: Id, date_from: DateFrom, date_to: DateTo, session: DbSession,
                      user: CurrentUser, currency: Currency = None) -> Response:
    """Opening balance, invoices, credit notes, payments and closing balance of the period."""
    return _file(statement_pdf(session, actor=user, client_id=client_id, date_from=date_from,
                               date_to=date_to, currency=currency))


@api.get("/sent-documents/{sent_document_id}", response_class=Response)
def sent_document_get(sent_document_id: Id, session: DbSession, user: CurrentUser) -> Response:
    """The exact bytes of a PDF as it was sent, whatever the templates look like today."""
    return _file(_kept(session, user, sent_document_id))


# --- the browser: the session cookie (a link cannot carry a bearer token) ----------------------

files = APIRouter(prefix="/files", include_in_schema=False)
CookieUser = Annotated[User, Depends(cookie_user)]


@files.get("/invoices/{invoice_id}.pdf")
def invoice_file(invoice_id: Id, session: DbSession, user: CookieUser) -> Response:
    return invoice_pdf_get(invoice_id, session, user)


@files.get("/credit-notes/{credit_note_id}.pdf")
def credit_note_file(credit_note_id: Id, session: DbSession, user: CookieUser) -> Response:
    return credit_note_pdf_get(credit_note_id, session, user)


@files.get("/payments/{payment_id}/receipt.pdf")
def receipt_file(payment_id: Id, session: DbSession, user: CookieUser) -> Response:
    return receipt_pdf_get(payment_id, session, user)


@files.get("/clients/{client_id}/statement.pdf")
def statement_file(client_id: Id, date_from: DateFrom, date_to: DateTo, session: DbSession,
                   user: CookieUser, currency: Currency = None) -> Response:
    return statement_pdf_get(client_id, date_from, date_to, session, user, currency)


@files.get("/sent-documents/{sent_document_id}.pdf")
def sent_document_file(sent_document_id: Id, session: DbSession, user: CookieUser) -> Response:
    return sent_document_get(sent_document_id, session, user)
