"""The four documents as a reader sees them: the text pypdf extracts from the PDF."""

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from billing_app.documents import credit_note_pdf, invoice_pdf, receipt_pdf, statement_pdf
from billing_app.domain.creditor_reference import creditor_reference, grouped, is_valid
from billing_app.models.clients import Address
from billing_app.services.payments import credit_note_issue, payment_record
from tests.documents.conftest import ISSUE_DATE, add_billing_address, line
from tests.support.documents import pdf_pages_text, pdf_text, qr_payloads


def test_an_invoice_prints_issuer_client_lines_taxes_totals_and_how_to_pay(
        db, company, accountant, customer, vat, make_invoice):
    invoice = make_invoice(
        line("Design workshop", quantity="2", unit_price="950.00", tax_rate_ids=[vat.id],
             discount_type="percent", discount_value="10", unit="day"),
        line("Hosting", quantity="1", unit_price="240.00", tax_rate_ids=[vat.id]),
        notes="Thank you for the order.", terms="Net 30 days.")

    document = invoice_pdf(db, actor=accountant, invoice_id=invoice.id)

    assert document.media_type == "application/pdf"
    assert document.filename == f"invoice-{invoice.number}.pdf"
    text = pdf_text(document.content)
    for expected in [
        "Nordlicht Software GmbH", "Hafenstraße 12", "20457 Hamburg", "Tax ID: DE123456789",
        customer.name, "Main Street 1", "10115 Berlin", "Germany",
        f"Number {invoice.number}", "Jun 1, 2033", "Due date Jul 1, 2033",
        "Design workshop 2 day €950.00 10% 19% €1,710.00", "Hosting 1 €240.00 19% €240.00",
        "Subtotal €1,950.00", "19% tax on €1,950.00 €370.50", "Total €2,320.50",
        "Amount due €2,320.50", "Thank you for the order.", "Net 30 days.",
        "IBAN DE89 3704 0044 0532 0130 00", "BIC COBADEFFXXX",
        f"Payment reference {invoice.number}", "Please pay within 14 days.", "Page 1 of 1",
    ]:
        assert expected in text, expected
    assert "DRAFT" not in text


def test_german_labels_dates_and_amounts_for_a_client_that_reads_german(
        db, company, accountant, customer, vat, make_invoice):
    customer.document_language = "de"
    db.add(customer)
    invoice = make_invoice(line(quantity="1", unit_price="1037.48", tax_rate_ids=[vat.id]))

    text = pdf_text(invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content)

    for expected in ["Rechnung", "RECHNUNGSEMPFÄNGER", "Beschreibung", "Einzelpreis",
                     "Zwischensumme 1.037,48 €", "19 % USt. auf 1.037,48 €", "Gesamt 1.234,60 €",
                     "Offener Betrag 1.234,60 €", "01.06.2033", "Fällig am 01.07.2033",
                     "Deutschland", "Seite 1 von 1"]:
        assert expected in text, expected


def test_the_company_language_applies_when_the_client_has_none(
        db, company, accountant, make_invoice):
    company.document_language = "de"
    db.add(company)
    text = pdf_text(invoice_pdf(db, actor=accountant, invoice_id=make_invoice().id).content)
    assert "Rechnung" in text and "238,00 €" in text


def test_a_draft_says_draft_on_every_page_and_has_no_payment_code(
        db, company, accountant, vat, make_invoice):
    lines = [line(f"Item {n}", tax_rate_ids=[vat.id]) for n in range(1, 81)]
    draft = make_invoice(*lines, issue=False)

    document = invoice_pdf(db, actor=accountant, invoice_id=draft.id)

    pages = pdf_pages_text(document.content)
    assert len(pages) >= 2
    assert all("DRAFT" in page for page in pages)
    assert document.filename == f"invoice-draft-{draft.id}.pdf"
    assert "Amount due" not in pages[-1] and "Payment reference" not in pages[-1]
    assert "Creditor reference" not in pages[-1]  # made from the number it does not have yet


def test_a_long_invoice_numbers_its_pages_and_repeats_the_table_header(
        db, company, accountant, vat, make_invoice):
    lines = [line(f"Line item number {n}", quantity="1", unit_price=f"{n}.00",
                  tax_rate_ids=[vat.id]) for n in range(1, 201)]
    invoice = make_invoice(*lines)

    pages = pdf_pages_text(invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content)

    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
    pages_with_lines = [page for page in pages if "Line item number" in page]
    assert len(pages_with_lines) >= 3
    for page in pages_with_lines:
        assert "# Description Qty Unit price Discount Tax Net" in page
    text = "\n".join(pages)
    assert all(f"Line item number {n} " in text for n in range(1, 201))
    assert "Subtotal €20,100.00" in text  # 1 + 2 + ... + 200


SCRIPTS = {
    "Latin with diacritics": "Žluťoučký kůň, Øresund ÅÄÖ, façade naïve",
    "Greek": "Ελληνικά γράμματα",
    "Cyrillic": "Кириллица Москва",
    "Arabic": "شركة القاهرة",
    "Hebrew": "חברת תל אביב",
    "Chinese": "北京科技有限公司",
    "Japanese": "東京のソフトウェア株式会社",
    "Korean": "서울 소프트웨어",
}


def _normalised(text: str) -> str:
    """Without spaces, and Arabic presentation forms (the shaped glyphs) as plain letters."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_every_script_prints_in_names_addresses_and_lines(
        db, company, accountant, customer, vat, make_invoice):
    customer.name = f"{SCRIPTS['Japanese']} {SCRIPTS['Greek']}"
    db.add(customer)
    address = db.exec(select(Address).where(Address.client_id == customer.id)).one()
    address.line1, address.city = SCRIPTS["Cyrillic"], SCRIPTS["Arabic"]
    db.add(address)
    invoice = make_invoice(*[line(text, tax_rate_ids=[vat.id]) for text in SCRIPTS.values()])

    text = _normalised(pdf_text(invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content))

    for script, sample in SCRIPTS.items():
        words = _normalised(sample)
        # right-to-left text may come out of the PDF in visual order, reversed
        assert words in text or words[::-1] in text, script


def _pay(db, accountant, invoice, amount: str, reference="Bank transfer 4711"):
    return payment_record(db, actor=accountant, today=ISSUE_DATE, send_receipt=False, data={
        "client_id": invoice.client_id, "payment_date": date(2033, 6, 10), "amount": amount,
        "reference": reference, "allocations": [{"invoice_id": invoice.id, "amount": amount}]})


def test_a_credit_note_names_its_invoice_reason_and_amounts(
        db, company, accountant, customer, make_invoice):
    invoice = make_invoice()
    note = credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=ISSUE_DATE,
                             data={"amount": "59.50", "reason": "Two hours not delivered"})

    document = credit_note_pdf(db, actor=accountant, credit_note_id=note.id)

    assert document.filename == f"credit-note-{note.number}.pdf"
    text = pdf_text(document.content)
    for expected in ["Credit note", f"Number {note.number}", f"Credit for invoice {invoice.number}",
                     "Two hours not delivered", "Net €50.00", "Tax €9.50", "Total €59.50",
                     customer.name]:
        assert expected in text, expected


def test_after_a_payment_the_invoice_asks_for_the_rest_and_the_receipt_confirms_it(
        db, company, accountant, make_invoice):
    invoice = make_invoice()
    payment = _pay(db, accountant, invoice, "100.00")

    invoice_text = pdf_text(invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content)
    receipt = receipt_pdf(db, actor=accountant, payment_id=payment.id)
    text = pdf_text(receipt.content)

    assert "Paid -€100.00" in invoice_text and "Amount due €138.00" in invoice_text
    assert receipt.filename == f"receipt-{payment.id}.pdf"
    for expected in ["Payment receipt", "We received your payment. Thank you.",
                     "Payment date Jun 10, 2033", "Method Bank transfer",
                     "Payment reference Bank transfer 4711", f"{invoice.number} €100.00",
                     "Amount €100.00"]:
        assert expected in text, expected


def test_a_statement_carries_the_opening_balance_the_period_and_the_closing_balance(
        db, company, accountant, customer, make_invoice):
    earlier = make_invoice()  # 238.00 on ISSUE_DATE, before the period
    later = make_invoice(issue_date=date(2033, 7, 1))
    note = credit_note_issue(db, actor=accountant, invoice_id=later.id, today=date(2033, 7, 2),
                             data={"amount": "38.00", "reason": "Goodwill",
                                   "issue_date": date(2033, 7, 2)})
    _pay(db, accountant, earlier, "238.00", reference="Transfer June")

    document = statement_pdf(db, actor=accountant, client_id=customer.id,
                             date_from=date(2033, 6, 5), date_to=date(2033, 7, 31))

    text = pdf_text(document.content)
    for expected in ["Account statement", "Period Jun 5, 2033 – Jul 31, 2033", "Currency EUR",
                     "Opening balance €238.00", "Jun 10, 2033 Payment Transfer June €238.00 €0.00",
                     f"Jul 1, 2033 Invoice {later.number} €238.00 €238.00",
                     f"Jul 2, 2033 Credit note {note.number} €38.00 €200.00",
                     "Closing balance €200.00"]:
        assert expected in text, expected
    assert document.filename == f"statement-{customer.id}-EUR-2033-06-05-2033-07-31.pdf"


def test_the_payment_code_carries_iban_amount_due_and_the_rf_reference(
        db, company, accountant, make_invoice):
    invoice = make_invoice()
    _pay(db, accountant, invoice, "38.00")

    document = invoice_pdf(db, actor=accountant, invoice_id=invoice.id)
    (payload,) = qr_payloads(document.content)

    lines = payload.decode("utf-8").split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[4:8] == ["COBADEFFXXX", "Nordlicht Software GmbH", "DE89370400440532013000",
                          "EUR200"]  # the amount due, not the total
    # the structured remittance field: the invoice's RF reference, compact, and no free text
    rf = creditor_reference(invoice.number)
    assert lines[9] == rf and is_valid(rf) and rf.endswith(invoice.number.replace("-", ""))
    assert len(lines) == 10
    assert f"Creditor reference {grouped(rf)}" in pdf_text(document.content)


@pytest.mark.parametrize("change", ["no iban", "usd", "paid"])
def test_no_payment_code_when_a_bank_app_could_not_pay_it(
        db, company, accountant, customer, make_invoice, change):
    if change == "no iban":
        company.iban = None
    if change == "usd":
        customer.currency = "USD"
    db.add_all([company, customer])
    invoice = make_invoice()
    if change == "paid":
        _pay(db, accountant, invoice, "238.00")

    assert qr_payloads(invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content) == []
