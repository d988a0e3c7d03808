"""Kept copies of the PDFs that were sent: the exact bytes, so that a changed template,
layout or company address never changes what a client received.

Files live under data_dir/documents/, named by their SHA-256 (the same PDF kept twice is one
file); the `sent_documents` row says what the file is, and its hash is checked on every read.
A file is written before its row: a rolled-back transaction leaves at most an unreferenced
file, never a row without its file.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from sqlmodel import Session, select

from billing_app.errors import BillingError, NotFound, ValidationFailed
from billing_app.models.documents import DocumentKind, SentDocument
from billing_app.models.invoices import CreditNote, Invoice
from billing_app.models.payments import Payment
from billing_app.models.users import User
from billing_app.queries.invoices.detail import own_client_only
from billing_app.services.audit import audit_record
from billing_app.settings import get_settings

FOLDER = "documents"
FILENAME_LENGTH = SentDocument.__table__.c.filename.type.length


def _path(sha256: str) -> Path:
    return get_settings().data_dir / FOLDER / sha256[:2] / f"{sha256}.pdf"


def _write(content: bytes, sha256: str) -> None:
    target = _path(sha256)
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as temporary:
        temporary.write(content)
    os.replace(temporary.name, target)  # readers never see half a file


def _owner(session: Session, kind: DocumentKind, invoice_id, credit_note_id, payment_id,
           client_id) -> int:
    """The client the document belongs to, from the record it was made of."""
    record = {DocumentKind.INVOICE: (Invoice, invoice_id),
              DocumentKind.CREDIT_NOTE: (CreditNote, credit_note_id),
              DocumentKind.RECEIPT: (Payment, payment_id)}.get(kind)
    if record is None:
        if client_id is None:
            raise ValidationFailed("A kept statement needs its client.", field="client_id")
        return client_id
    model, record_id = record
    row = session.get(model, record_id) if record_id is not None else None
    if row is None:
        raise ValidationFailed(f"A kept {kind.value.replace('_', ' ')} needs its record.")
    return row.client_id


def sent_document_keep(session: Session, *, kind: DocumentKind | str, content: bytes,
                       filename: str, invoice_id: int | None = None,
                       credit_note_id: int | None = None, payment_id: int | None = None,
                       client_id: int | None = None, actor: User | None = None) -> SentDocument:
    """Store the bytes of a PDF that is being sent, and the row that finds them again.

    No permission check: the sending service calls it after checking its own actor.
    """
    kind = DocumentKind(kind)
    if not content:
        raise ValidationFailed("There is no document to keep.")
    owner = _owner(session, kind, invoice_id, credit_note_id, payment_id, client_id)
    sha256 = hashlib.sha256(content).hexdigest()
    _write(content, sha256)
    document = SentDocument(kind=kind, invoice_id=invoice_id, credit_note_id=credit_note_id,
                            payment_id=payment_id, client_id=owner,
                            filename=filename[:FILENAME_LENGTH], sha256=sha256,
                            size=len(content), created_by_id=actor.id if actor else None)
    session.add(document)
    session.flush()
    audit_record(session, actor=actor, action="document.keep", entity_type="sent_document",
                 entity_id=document.id, details={"kind": kind.value, "sha256": sha256,
                                                 "invoice_id": invoice_id})
    session.flush()
    return document


def sent_document_read(session: Session, *, actor: User,
                       sent_document_id: int) -> tuple[SentDocument, bytes]:
    """The kept row and its exact bytes; staff read any, a client user its own client's."""
    own_client = own_client_only(actor)
    document = session.get(SentDocument, sent_document_id)
    if document is None or (own_client is not None and document.client_id != own_client):
        raise NotFound("That document does not exist.")
    try:
        content = _path(document.sha256).read_bytes()
    except FileNotFoundError:
        raise BillingError("The kept copy of this document is missing from the file store."
                           ) from None
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise BillingError("The kept copy of this document was changed on disk; it is not served.")
    return document, content


def sent_documents_of_invoice(session: Session, *, actor: User,
                              invoice_id: int) -> list[SentDocument]:
    """The PDFs kept for an invoice (and its credit notes), newest first."""
    own_client = own_client_only(actor)
    notes = select(CreditNote.id).where(CreditNote.invoice_id == invoice_id)
    query = select(SentDocument).where(
        (SentDocument.invoice_id == invoice_id) | SentDocument.credit_note_id.in_(notes))
    if own_client is not None:
        query = query.where(SentDocument.client_id == own_client)
    return list(session.exec(query.order_by(SentDocument.created_at.desc(),
                                            SentDocument.id.desc())).all())

