"""Where the browser downloads documents: the cookie-authenticated /files routes of
api/documents.py (a plain link cannot carry a bearer token, and a websocket cannot stream)."""

from datetime import date


def invoice_pdf_href(invoice_id: int) -> str:
    return f"/files/invoices/{invoice_id}.pdf"


def credit_note_pdf_href(credit_note_id: int) -> str:
    return f"/files/credit-notes/{credit_note_id}.pdf"


def receipt_pdf_href(payment_id) -> str:
    """`payment_id`: an int, or a component's var holding one."""
    return f"/files/payments/{payment_id}/receipt.pdf"


def statement_pdf_href(client_id: int, date_from: date, date_to: date, currency: str) -> str:
    return (f"/files/clients/{client_id}/statement.pdf?date_from={date_from.isoformat()}"
            f"&date_to={date_to.isoformat()}&currency={currency}")


def sent_document_href(sent_document_id: int) -> str:
    return f"/files/sent-documents/{sent_document_id}.pdf"
