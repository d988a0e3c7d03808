"""The invoice page's documents: its PDF, its credit notes' PDFs and the kept copies of the
PDFs that were sent ("Sent PDFs"). Reads run as the signed-in user through AuthState._run."""

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.documents import sent_documents_of_invoice
from billing_app.models.documents import SentDocument
from billing_app.queries.invoices import invoice_detail
from billing_app.queries.payments import credit_notes
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.document_links import (
    credit_note_pdf_href,
    invoice_pdf_href,
    sent_document_href,
)

KIND_LABELS = {"invoice": "Invoice", "credit_note": "Credit note", "receipt": "Receipt",
               "statement": "Statement"}


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


def _sent_view(document: SentDocument) -> dict[str, str]:
    return {"at": document.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            "kind": KIND_LABELS.get(str(document.kind), str(document.kind)),
            "filename": document.filename, "size": _size(document.size),
            "sha256": document.sha256[:12], "href": sent_document_href(document.id)}


class InvoiceDocumentsState(AuthState):
    pdf_href: str = ""
    note_links: list[dict[str, str]] = []  # {"label", "href"} per credit note
    sent_rows: list[dict[str, str]] = []

    @rx.event
    def load_documents(self):
        path = self.router.url.path
        invoice_id = path_id(path, "/invoices") or path_id(path, "/my/invoices") or 0
        action = (Action.INVOICES_READ if can(self.user_role, Action.INVOICES_READ)
                  else Action.OWN_INVOICES_READ)

        def read(db, actor):
            invoice = invoice_detail(db, actor=actor, invoice_id=invoice_id).invoice
            notes = credit_notes(db, actor=actor, invoice_id=invoice_id) if invoice.number else []
            return notes, sent_documents_of_invoice(db, actor=actor, invoice_id=invoice_id)

        result, error = self._run(action, read)
        if error:
            self.pdf_href, self.note_links, self.sent_rows = "", [], []
            return
        notes, sent = result
        self.pdf_href = invoice_pdf_href(invoice_id)
        self.note_links = [{"label": f"Credit note {row.credit_note.number or row.credit_note.id}",
                            "href": credit_note_pdf_href(row.credit_note.id)} for row in notes]
        self.sent_rows = [_sent_view(document) for document in sent]
