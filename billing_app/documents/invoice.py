"""Invoice and credit note PDFs. Every amount comes from the invoice detail query, which
takes it from the one totals function: the PDF cannot disagree with the page or the API."""

from sqlmodel import Session

from billing_app.documents.parties import (
    Look,
    Party,
    TotalRow,
    client_party,
    common_context,
    look_of,
)
from billing_app.documents.payment_qr import epc_qr_data_uri
from billing_app.documents.rendering import (
    RenderedDocument,
    html_to_pdf,
    render_html,
    safe_filename,
)
from billing_app.domain.creditor_reference import creditor_reference, grouped
from billing_app.domain.invoice_status import DRAFT
from billing_app.errors import NotFound
from billing_app.models.clients import Client
from billing_app.models.company import Company
from billing_app.models.invoices import CreditNote, DiscountType, Invoice
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.queries.credit_notes import note_lines
from billing_app.queries.invoices import InvoiceDetail, LineDetail, invoice_detail
from billing_app.queries.invoices.detail import own_client_only


# the columns of the lines table after # and description: (label, key of the line dict)
INVOICE_COLUMNS = [("quantity", "quantity"), ("unit_price", "unit_price"), ("discount", "discount"),
                   ("tax", "taxes"), ("net", "net")]
CREDIT_NOTE_COLUMNS = [("quantity", "quantity"), ("unit_price", "unit_price"), ("net", "net")]


def _discount(item: LineDetail, look: Look, currency: str) -> str:
    line = item.line
    if not line.discount_type or not line.discount_value:
        return ""
    if line.discount_type == DiscountType.PERCENT:
        return look.fmt.percent(line.discount_value)
    return look.fmt.money(item.discount, currency)


def _line(item: LineDetail, look: Look, currency: str) -> dict[str, str]:
    fmt, line = look.fmt, item.line
    quantity = fmt.number(line.quantity) + (f" {line.unit}" if line.unit else "")
    return {"description": line.description, "quantity": quantity,
            "unit_price": fmt.money(line.unit_price, currency),
            "discount": _discount(item, look, currency),
            "taxes": ", ".join(fmt.percent(tax.rate) for tax in item.taxes),
            "net": fmt.money(item.net, currency)}


def _totals(detail: InvoiceDetail, look: Look) -> list[TotalRow]:
    """The totals box, top to bottom; the last row is what is still to pay."""
    t, invoice, totals = look.labels, detail.invoice, detail.totals

    def money(amount):
        return look.fmt.money(amount, invoice.currency)

    rows = [TotalRow(t["subtotal"], money(totals.subtotal))]
    if totals.discount_total:
        rows.append(TotalRow(t["invoice_discount"], money(-totals.discount_total)))
    rows += [TotalRow(t["tax_on"].format(rate=look.fmt.percent(tax.rate), base=money(tax.base)),
                      money(tax.amount)) for tax in totals.taxes]
    rows.append(TotalRow(t["tax_total"], money(totals.tax_total)))
    rows.append(TotalRow(t["total"], money(totals.total), strong=True))
    if totals.fees:
        rows.append(TotalRow(t["late_fees"], money(totals.fees)))
    if invoice.amount_credited:
        rows.append(TotalRow(t["credited"], money(-invoice.amount_credited)))
    if invoice.amount_paid:
        rows.append(TotalRow(t["paid"], money(-invoice.amount_paid)))
    if invoice.status != DRAFT:
        rows.append(TotalRow(t["balance_due"], money(invoice.balance_due), strong=True))
    return rows


def _title(invoice: Invoice) -> str:
    return invoice.number or f"#{invoice.id}"


def invoice_context(company: Company, client: Party, look: Look, detail: InvoiceDetail) -> dict:
    """What invoice.html prints; also made for the sample in Settings, from no database."""
    invoice, t, fmt = detail.invoice, look.labels, look.fmt
    draft = invoice.status == DRAFT
    rf = creditor_reference(invoice.number)  # None for a draft
    qr = None
    if not draft and company.iban:
        qr = epc_qr_data_uri(name=company.name, iban=company.iban, bic=company.bic,
                             amount=invoice.balance_due, reference=invoice.number,
                             currency=invoice.currency, creditor_reference=rf)
    return {
        **common_context(company, look, title=f"{t['invoice']} {_title(invoice)}", client=client,
                         draft=draft),
        "heading": t["invoice"],
        "facts": [(t["number"], _title(invoice)), (t["issue_date"], fmt.date(invoice.issue_date)),
                  (t["due_date"], fmt.date(invoice.due_date))],
        "lines": [_line(item, look, invoice.currency) for item in detail.lines],
        "line_columns": INVOICE_COLUMNS,
        "totals": _totals(detail, look),
        "prices_include_tax": invoice.prices_include_tax,
        "notes": invoice.notes, "terms": invoice.terms,
        "reference": None if draft else invoice.number,
        "creditor_reference": rf and grouped(rf),
        "due_date": fmt.date(invoice.due_date),
        "qr": qr,
    }


def invoice_html(session: Session, *, actor: User, invoice_id: int) -> tuple[str, str]:
    """(file name, HTML) of the invoice's PDF, for whoever may read it (a client user: its
    own issued ones)."""
    detail = invoice_detail(session, actor=actor, invoice_id=invoice_id)
    company = current_company(session)
    client = session.get(Client, detail.invoice.client_id)
    look = look_of(company, client)
    context = invoice_context(company, client_party(session, client, look), look, detail)
    invoice = detail.invoice
    name = (safe_filename("invoice", invoice.number) if invoice.number
            else safe_filename("invoice-draft", str(invoice.id)))
    return name, render_html("invoice.html", context)


def invoice_pdf(session: Session, *, actor: User, invoice_id: int) -> RenderedDocument:
    name, html = invoice_html(session, actor=actor, invoice_id=invoice_id)
    return RenderedDocument(name, html_to_pdf(html))


def _readable_credit_note(session: Session, actor: User, credit_note_id: int) -> CreditNote:
    """Staff read every credit note; a client user its own client's numbered ones."""
    own_client = own_client_only(actor)
    note = session.get(CreditNote, credit_note_id)
    if note is None or (own_client is not None and (note.client_id != own_client
                                                    or note.number is None)):
        raise NotFound("That credit note does not exist.")
    return note


def credit_note_pdf(session: Session, *, actor: User, credit_note_id: int) -> RenderedDocument:
    note = _readable_credit_note(session, actor, credit_note_id)
    company = current_company(session)
    client = session.get(Client, note.client_id)
    invoice = session.get(Invoice, note.invoice_id)
    look = look_of(company, client)
    t, fmt = look.labels, look.fmt
    number = note.number or f"#{note.id}"

    def money(amount):
        return fmt.money(amount, note.currency)

    by_line = note_lines(session, [note.id])[note.id]
    taxes = [TotalRow(t["tax_on"].format(rate=fmt.percent(tax.rate), base=money(tax.base)),
                      money(tax.amount)) for tax in by_line.taxes]
    context = {
        **common_context(company, look, title=f"{t['credit_note']} {number}",
                         client=client_party(session, client, look), draft=note.number is None),
        "heading": t["credit_note"],
        "facts": [(t["number"], number), (t["issue_date"], fmt.date(note.issue_date)),
                  (t["credit_for_invoice"], invoice.number or f"#{invoice.id}")],
        "reason": note.reason,
        "lines": [{"description": line.description,
                   "quantity": fmt.number(line.quantity) + (f" {line.unit}" if line.unit else ""),
                   "unit_price": money(line.unit_price), "net": money(line.line_net)}
                  for line in by_line.lines],
        "line_columns": CREDIT_NOTE_COLUMNS,
        "totals": [TotalRow(t["net"], money(note.subtotal)), *taxes,
                   TotalRow(t["tax_total"] if taxes else t["tax"], money(note.tax_total)),
                   TotalRow(t["total"], money(note.total), strong=True)],
    }
    return RenderedDocument(safe_filename("credit-note", number),
                            html_to_pdf(render_html("credit_note.html", context)))
