"""Kept copies of sent PDFs: the exact bytes, found by their hash, unchanged by later settings."""

import hashlib

import pytest

from billing_app.documents import (
    invoice_pdf,
    sent_document_keep,
    sent_document_read,
    sent_documents_of_invoice,
)
from billing_app.errors import BillingError, NotFound, ValidationFailed
from billing_app.models.users import Role
from tests.support.documents import pdf_text
from tests.support.factories import make_client, make_user


def _keep(db, accountant, invoice):
    document = invoice_pdf(db, actor=accountant, invoice_id=invoice.id)
    kept = sent_document_keep(db, kind="invoice", content=document.content,
                              filename=document.filename, invoice_id=invoice.id, actor=accountant)
    return document, kept


def test_a_kept_pdf_is_stored_by_its_hash_and_read_back_exactly(
        db, company, accountant, make_invoice, data_dir):
    invoice = make_invoice()
    document, kept = _keep(db, accountant, invoice)

    digest = hashlib.sha256(document.content).hexdigest()
    assert (kept.sha256, kept.size, kept.filename) == (digest, len(document.content),
                                                       document.filename)
    assert (kept.client_id, kept.created_by_id) == (invoice.client_id, accountant.id)
    assert (data_dir / "documents" / digest[:2] / f"{digest}.pdf").read_bytes() == document.content
    row, content = sent_document_read(db, actor=accountant, sent_document_id=kept.id)
    assert row.id == kept.id and content == document.content
    assert [d.id for d in sent_documents_of_invoice(db, actor=accountant,
                                                    invoice_id=invoice.id)] == [kept.id]


def test_changing_layout_colour_and_language_later_never_changes_what_was_sent(
        db, company, accountant, make_invoice):
    invoice = make_invoice()
    sent, kept = _keep(db, accountant, invoice)

    company.document_layout, company.accent_color, company.document_language = (
        "modern", "#aa0000", "de")
    company.name = "Renamed AG"
    db.add(company)
    today = invoice_pdf(db, actor=accountant, invoice_id=invoice.id).content

    assert "Renamed AG" in pdf_text(today) and "Seite 1 von 1" in pdf_text(today)
    _, content = sent_document_read(db, actor=accountant, sent_document_id=kept.id)
    assert content == sent.content
    assert "Nordlicht Software GmbH" in pdf_text(content) and "Invoice" in pdf_text(content)


def test_the_same_pdf_kept_twice_is_one_file_and_two_records(
        db, company, accountant, make_invoice, data_dir):
    invoice = make_invoice()
    document, first = _keep(db, accountant, invoice)
    second = sent_document_keep(db, kind="invoice", content=document.content,
                                filename=document.filename, invoice_id=invoice.id)

    assert first.id != second.id and first.sha256 == second.sha256
    assert len(list((data_dir / "documents").rglob("*.pdf"))) == 1


def test_a_file_changed_on_disk_is_not_served(db, company, accountant, make_invoice, data_dir):
    _, kept = _keep(db, accountant, make_invoice())
    path = data_dir / "documents" / kept.sha256[:2] / f"{kept.sha256}.pdf"
    path.write_bytes(path.read_bytes() + b"%tampered")

    with pytest.raises(BillingError, match="changed on disk"):
        sent_document_read(db, actor=accountant, sent_document_id=kept.id)


def test_a_client_user_reads_only_its_own_kept_pdfs(db, company, accountant, customer,
                                                   make_invoice):
    _, kept = _keep(db, accountant, make_invoice())
    own = make_user(db, Role.CLIENT, client_id=customer.id)
    other = make_user(db, Role.CLIENT, client_id=make_client(db).id)

    assert sent_document_read(db, actor=own, sent_document_id=kept.id)[0].id == kept.id
    with pytest.raises(NotFound):
        sent_document_read(db, actor=other, sent_document_id=kept.id)
    assert sent_documents_of_invoice(db, actor=other, invoice_id=kept.invoice_id) == []


@pytest.mark.parametrize(("kind", "links", "message"), [
    ("statement", {}, "needs its client"),
    ("invoice", {}, "needs its record"),
    ("invoice", {"invoice_id": 2_000_000_000}, "needs its record"),
])
def test_a_kept_pdf_must_say_what_it_is(db, kind, links, message):
    with pytest.raises(ValidationFailed, match=message):
        sent_document_keep(db, kind=kind, content=b"%PDF-1.7", filename="x.pdf", **links)
