"""PDF documents: invoices, credit notes, payment receipts and account statements, made from
autoescaped Jinja2 templates and one stylesheet by WeasyPrint; and the kept copies of sent ones.

Each function checks its actor's right to read the document (a client user gets only its own
client's, anything else is "not found") and returns the file's name and bytes.
"""

from billing_app.documents.account import receipt_pdf, statement_pdf
from billing_app.documents.invoice import credit_note_pdf, invoice_pdf
from billing_app.documents.rendering import RenderedDocument
from billing_app.documents.store import (
    sent_document_keep,
    sent_document_read,
    sent_documents_of_invoice,
)

__all__ = [
    "RenderedDocument", "credit_note_pdf", "invoice_pdf", "receipt_pdf", "sent_document_keep",
    "sent_document_read", "sent_documents_of_invoice", "statement_pdf",
]
