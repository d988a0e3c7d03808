"""Reads of invoices shared by the UI, the API and reports: the filtered list and one invoice."""

from billing_app.queries.invoices.detail import (
    AppliedTax,
    HistoryEntry,
    InvoiceDetail,
    LineDetail,
    invoice_detail,
)
from billing_app.queries.invoices.listing import CurrencySum, InvoicePage, invoices_page

__all__ = [
    "AppliedTax", "CurrencySum", "HistoryEntry", "InvoiceDetail", "InvoicePage", "LineDetail",
    "invoice_detail", "invoices_page",
]
