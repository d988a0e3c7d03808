"""Who may have which PDF: staff read all; a client user its own client's issued documents,
and everything else is "not found", as if it did not exist."""

from datetime import date

import pytest

from billing_app.documents import credit_note_pdf, invoice_pdf, receipt_pdf, statement_pdf
from billing_app.errors import NotFound, PermissionDenied
from billing_app.models.users import Role
from billing_app.services.payments import credit_note_issue, payment_record
from tests.documents.conftest import ISSUE_DATE
from tests.support.factories import make_client, make_user

PERIOD = {"date_from": date(2033, 1, 1), "date_to": date(2033, 12, 31)}


@pytest.fixture
def papers(db, accountant, customer, make_invoice):
    """An issued invoice with a credit note and a payment, and a draft, all of `customer`."""
    invoice = make_invoice()
    note = credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=ISSUE_DATE,
                             data={"amount": "10.00", "reason": "Goodwill"})
    payment = payment_record(db, actor=accountant, today=ISSUE_DATE, send_receipt=False, data={
        "client_id": customer.id, "payment_date": ISSUE_DATE, "amount": "50.00",
        "allocations": [{"invoice_id": invoice.id, "amount": "50.00"}]})
    return {"invoice": invoice, "note": note, "payment": payment,
            "draft": make_invoice(issue=False)}


def _render_all(db, actor, papers, client_id):
    return [invoice_pdf(db, actor=actor, invoice_id=papers["invoice"].id),
            credit_note_pdf(db, actor=actor, credit_note_id=papers["note"].id),
            receipt_pdf(db, actor=actor, payment_id=papers["payment"].id),
            statement_pdf(db, actor=actor, client_id=client_id, **PERIOD)]


def test_a_viewer_reads_every_document_and_drafts(db, company, viewer, customer, papers):
    documents = _render_all(db, viewer, papers, customer.id)
    documents.append(invoice_pdf(db, actor=viewer, invoice_id=papers["draft"].id))
    assert all(document.content.startswith(b"%PDF-") for document in documents)


def test_a_client_user_reads_its_own_issued_documents(db, company, customer, papers):
    own = make_user(db, Role.CLIENT, client_id=customer.id)
    assert all(d.content.startswith(b"%PDF-") for d in _render_all(db, own, papers, customer.id))
    with pytest.raises(NotFound):
        invoice_pdf(db, actor=own, invoice_id=papers["draft"].id)


def test_another_client_gets_not_found_for_each_of_them(db, company, customer, papers):
    other = make_user(db, Role.CLIENT, client_id=make_client(db).id)
    attempts = [
        lambda: invoice_pdf(db, actor=other, invoice_id=papers["invoice"].id),
        lambda: credit_note_pdf(db, actor=other, credit_note_id=papers["note"].id),
        lambda: receipt_pdf(db, actor=other, payment_id=papers["payment"].id),
        lambda: statement_pdf(db, actor=other, client_id=customer.id, **PERIOD),
        lambda: invoice_pdf(db, actor=other, invoice_id=2_000_000_000),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()


def test_nobody_signed_in_or_deactivated_gets_nothing(db, company, viewer, papers):
    viewer.is_active = False
    for actor in (None, viewer):
        with pytest.raises(PermissionDenied):
            invoice_pdf(db, actor=actor, invoice_id=papers["invoice"].id)
