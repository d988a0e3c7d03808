"""A sample invoice in the company's current look, for the live preview in Settings.

Nothing is read from or written to the database: the invoice, its client and lines exist only
here, and their totals come from the same totals function as real invoices'.
"""

import base64
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pypdfium2

from billing_app.documents.invoice import invoice_context
from billing_app.documents.parties import Party, look_of
from billing_app.documents.rendering import html_to_pdf, render_html
from billing_app.domain.invoice_status import InvoiceStatus
from billing_app.domain.totals import LineInput, compute_totals
from billing_app.models.company import Company
from billing_app.models.invoices import Invoice, InvoiceLine
from billing_app.queries.invoices import AppliedTax, InvoiceDetail, LineDetail

PREVIEW_SCALE = 1.3  # about 775 pixels across an A4 page
_LINES = [("Design workshop (2 days)", Decimal("2"), "day", Decimal("950.00")),
          ("Développement d'interface", Decimal("12.5"), "h", Decimal("85.00")),
          ("Hosting, 12 months", Decimal("1"), None, Decimal("240.00"))]
_SAMPLE_TAX = AppliedTax(tax_rate_id=0, name="VAT", rate=Decimal("19"))


def sample_detail(company: Company, today: date) -> InvoiceDetail:
    currency = company.default_currency
    lines = [InvoiceLine(id=n, invoice_id=0, position=n, description=text, quantity=quantity,
                         unit=unit, unit_price=price)
             for n, (text, quantity, unit, price) in enumerate(_LINES, 1)]
    totals = compute_totals([LineInput(line.quantity, line.unit_price, tax_rates=(Decimal("19"),))
                             for line in lines], currency=currency)
    invoice = Invoice(id=0, company_id=company.id or 0, number="INV-SAMPLE-0001", client_id=0,
                      status=InvoiceStatus.SENT, issue_date=today,
                      due_date=today + timedelta(days=company.default_payment_terms_days),
                      currency=currency, subtotal=totals.subtotal, tax_total=totals.tax_total,
                      total=totals.total, balance_due=totals.total,
                      notes=company.default_notes, terms=company.default_terms)
    return InvoiceDetail(
        invoice=invoice, client_name="Sample Client",
        lines=[LineDetail(line, [_SAMPLE_TAX], amounts.gross, amounts.discount, amounts.net)
               for line, amounts in zip(lines, totals.lines)],
        taxes=list(totals.taxes), totals=totals, history=[])


def sample_invoice_pdf(company: Company, today: date) -> bytes:
    look = look_of(company, None)
    client = Party(name="Sample Client Ltd.", address=["1 Example Road", "London EC1A 1AA"])
    context = invoice_context(company, client, look, sample_detail(company, today))
    return html_to_pdf(render_html("invoice.html", context))


def first_page_png_data_url(pdf: bytes) -> str:
    """The first page as a PNG data: URL (WeasyPrint 70 writes PDF only; pdfium rasterises)."""
    buffer = BytesIO()
    document = pypdfium2.PdfDocument(pdf)
    try:  # the image shares the bitmap's memory, which closing the document frees
        document[0].render(scale=PREVIEW_SCALE).to_pil().save(buffer, format="PNG", optimize=True)
    finally:
        document.close()
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
