"""A credit note by line is a document of its own: its PDF lists the lines credited, the tax
per rate and the totals, as pypdf reads them."""

from decimal import Decimal

from sqlmodel import select

from billing_app.documents import credit_note_pdf
from billing_app.models import InvoiceLine, TaxRate
from billing_app.services.payments import credit_note_issue
from tests.documents.conftest import ISSUE_DATE, line
from tests.support.documents import pdf_text


def test_the_pdf_lists_the_lines_credited_and_the_tax_per_rate(
        db, company, accountant, customer, make_invoice, vat):
    reduced = TaxRate(name="Reduced 7% (credit note PDF)", rate=Decimal("7"))
    db.add(reduced)
    db.flush()
    invoice = make_invoice(
        line("Design hours", quantity="3", unit_price="33.33", tax_rate_ids=[vat.id]),
        line("Printed guides", quantity="2", unit_price="12.99", tax_rate_ids=[reduced.id]),
        line("Setup", quantity="1", unit_price="10.00", tax_rate_ids=[vat.id]))
    first, second, third = db.exec(select(InvoiceLine.id).where(InvoiceLine.invoice_id == invoice.id)
                                   .order_by(InvoiceLine.position)).all()
    note = credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=ISSUE_DATE, data={
        "reason": "Guides returned", "lines": [{"invoice_line_id": first, "quantity": "1"},
                                               {"invoice_line_id": second, "quantity": "1.5"}]})

    text = pdf_text(credit_note_pdf(db, actor=accountant, credit_note_id=note.id).content)

    for expected in [f"Number {note.number}", f"Credit for invoice {invoice.number}",
                     "Guides returned", "Description Qty Unit price Net",
                     "1 Design hours 1 €33.33 €33.33", "2 Printed guides 1.5 €12.99 €19.49",
                     "Net €52.82", "19% tax on €33.33 €6.33", "7% tax on €19.49 €1.36",
                     "Tax total €7.69", "Total €60.51"]:
        assert expected in text, (expected, text)
    assert "Setup" not in text  # not credited
