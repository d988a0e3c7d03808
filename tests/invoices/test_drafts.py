"""Drafts on PostgreSQL: stored totals, defaults, validation with nothing written, copies."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from billing_app.models import AuditLog, Invoice, InvoiceLine, InvoiceLineTax, InvoiceStatusHistory
from billing_app.queries.invoices import invoice_detail
from billing_app.services.invoices import (
    invoice_cancel,
    invoice_create_draft,
    invoice_duplicate,
    invoice_issue,
    invoice_preview_totals,
    invoice_update_draft,
)
from tests.invoices.conftest import ISSUE_DATE, draft, line


@pytest.fixture
def three_lines(customer, rates) -> dict:
    """Worked by hand:
    A: 4 x 25.00 = 100.00 less 5% = 95.00 (19%);  B: 3 x 12.35 = 37.05 less 2.05 = 35.00 (7%);
    C: 2 x 40.00 = 80.00 (19%).  Subtotal 210.00; 10% off = 21.00, split by rate as
    19%: 21.00 x 175/210 = 17.50 and 7%: 3.50, leaving taxable 157.50 and 31.50 (189.00).
    Tax 19%: 157.50 x 0.19 = 29.925 -> 29.93; 7%: 31.50 x 0.07 = 2.205 -> 2.21; 32.14 in all.
    Total 189.00 + 32.14 = 221.14.
    """
    return draft(
        customer,
        line("Design", "4", "25.00", [rates.standard.id], discount_type="percent",
             discount_value="5"),
        line("Handbook", "3", "12.35", [rates.reduced.id], discount_type="amount",
             discount_value="2.05"),
        line("Hosting", "2", "40.00", [rates.standard.id]),
        discount_type="percent", discount_value="10",
    )


def test_stored_totals_are_the_hand_computed_ones(db, company, accountant, three_lines, rates):
    invoice = invoice_create_draft(db, actor=accountant, data=three_lines)
    db.expire_all()
    stored = db.get(Invoice, invoice.id)

    assert (stored.subtotal, stored.discount_total, stored.tax_total, stored.total,
            stored.balance_due) == (D("210.00"), D("21.00"), D("32.14"), D("221.14"), D("221.14"))
    lines = db.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                    .order_by(InvoiceLine.position)).all()
    assert [(l.position, l.line_net) for l in lines] == [(1, D("95.00")), (2, D("35.00")),
                                                        (3, D("80.00"))]
    snapshots = db.exec(select(InvoiceLineTax.tax_rate_id, InvoiceLineTax.rate)
                        .where(InvoiceLineTax.line_id.in_([l.id for l in lines]))).all()
    assert sorted(snapshots) == sorted([(rates.standard.id, D("19")), (rates.reduced.id, D("7")),
                                        (rates.standard.id, D("19"))])
    detail = invoice_detail(db, actor=accountant, invoice_id=invoice.id)
    assert [(t.rate, t.base, t.amount) for t in detail.taxes] == [
        (D("7"), D("31.50"), D("2.21")), (D("19"), D("157.50"), D("29.93"))]


def test_notes_and_terms_given_empty_stay_empty(db, company, accountant, customer):
    """The editor shows the company's defaults; a person who clears them means it."""
    invoice = invoice_create_draft(db, actor=accountant,
                                   data=draft(customer, line(), notes=None, terms=""))
    assert (invoice.notes, invoice.terms) == (None, None)


def test_defaults_come_from_the_client_and_the_company(db, company, accountant, customer):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))

    assert invoice.status == "draft" and invoice.number is None
    assert invoice.due_date == ISSUE_DATE + timedelta(days=14)  # the client's terms
    assert invoice.currency == customer.currency
    assert (invoice.notes, invoice.terms) == (company.default_notes, company.default_terms)
    assert invoice.created_by_id == accountant.id
    history = db.exec(select(InvoiceStatusHistory)
                      .where(InvoiceStatusHistory.invoice_id == invoice.id)).all()
    assert [(h.from_status, h.to_status, h.changed_by_id) for h in history] == [
        (None, "draft", accountant.id)]


def test_prices_including_tax_follow_the_company_setting(db, company, accountant, customer, rates):
    company.prices_include_tax = True
    invoice = invoice_create_draft(db, actor=accountant, data=draft(
        customer, line(unit_price="119.00", tax_rate_ids=[rates.standard.id])))

    assert invoice.prices_include_tax
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (D("100.00"), D("19.00"),
                                                                    D("119.00"))


def _counts(db) -> tuple[int, ...]:
    return tuple(db.exec(select(func.count()).select_from(table)).one()
                 for table in (Invoice, InvoiceLine, InvoiceLineTax, AuditLog, InvoiceStatusHistory))


@pytest.mark.parametrize(("change", "field", "says"), [
    ({"lines": [line(quantity="-2")]}, "lines.0.quantity", "negative"),
    ({"lines": [line(quantity="0")]}, "lines.0.quantity", "more than 0"),
    ({"lines": [line(), line(unit_price="abc")]}, "lines.1.unit_price", "'abc' is not an amount"),
    ({"lines": [line(quantity="two")]}, "lines.0.quantity", "'two' is not an amount"),
    ({"lines": [line(discount_type="percent", discount_value="150")]}, "lines.0.discount_value",
     "more than 100%"),
    ({"lines": [line(discount_type="amount", discount_value="100.01")]},
     "lines.0.discount_value", "more than the line amount"),
    ({"lines": [line(tax_rate_ids=[2**31 - 2])]}, "lines.0.tax_rate_ids", "Unknown tax rate"),
    ({"lines": [line(unit_price="10.00001")]}, "lines.0.unit_price", "4 decimal places"),
    ({"lines": [line(unit_price=9.99)]}, "lines.0.unit_price", "as text"),
    ({"lines": [line(description="  ")]}, "lines.0.description", "required"),
    ({"discount_type": "amount", "discount_value": "abc"}, "discount_value", "not an amount"),
    ({"discount_type": "amount", "discount_value": "100.01"}, "discount_value", "more than"),
    ({"due_date": date(2031, 3, 2)}, "due_date", "before the issue date"),
    ({"currency": "EURO"}, "currency", "currency"),
    ({"client_id": 2**31 - 2}, "client_id", "does not exist"),
    ({"lines": [line(quantity="2", unit_price="9" * 15)]}, "lines", "too large"),
])
def test_bad_input_names_the_field_and_writes_nothing(db, company, accountant, customer, change,
                                                      field, says):
    before = _counts(db)
    with pytest.raises(ValidationFailed) as failed:
        invoice_create_draft(db, actor=accountant, data={**draft(customer, line()), **change})

    assert failed.value.field == field
    assert says in failed.value.message
    assert _counts(db) == before


def test_a_line_error_names_the_line(db, company, accountant, customer):
    with pytest.raises(ValidationFailed) as failed:
        invoice_create_draft(db, actor=accountant,
                             data=draft(customer, line(), line(quantity="-1")))
    assert failed.value.message == "Line 2: Quantity: Cannot be negative."


def test_retired_tax_rates_are_refused(db, company, accountant, customer, rates):
    with pytest.raises(ValidationFailed, match="no longer in use") as failed:
        invoice_create_draft(db, actor=accountant,
                             data=draft(customer, line(tax_rate_ids=[rates.retired.id])))
    assert failed.value.field == "lines.0.tax_rate_ids"


def test_an_archived_client_gets_no_new_draft(db, company, accountant, customer):
    customer.is_archived = True
    with pytest.raises(ValidationFailed, match="archived"):
        invoice_create_draft(db, actor=accountant, data=draft(customer, line()))


def test_update_replaces_the_lines_and_the_totals(db, company, accountant, customer, rates):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer, line(), line()))
    invoice_update_draft(db, actor=accountant, invoice_id=invoice.id, data=draft(
        customer, line("Audit", "2", "50.00", [rates.standard.id]), notes="Revised"))
    db.expire_all()

    lines = db.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    assert [(l.description, l.quantity) for l in lines] == [("Audit", D("2"))]
    stored = db.get(Invoice, invoice.id)
    assert (stored.total, stored.notes) == (D("119.00"), "Revised")
    assert db.exec(select(AuditLog.action).where(AuditLog.entity_id == str(invoice.id))
                   .order_by(AuditLog.id)).all() == ["invoice.create_draft", "invoice.update_draft"]


def test_an_issued_invoice_cannot_be_changed(db, company, accountant, customer, issued):
    invoice = issued()
    with pytest.raises(Conflict, match="An issued invoice cannot be changed; cancel it or issue a "
                                       "credit note."):
        invoice_update_draft(db, actor=accountant, invoice_id=invoice.id,
                             data=draft(customer, line(unit_price="1.00")))
    db.expire_all()
    assert db.get(Invoice, invoice.id).total == D("100.00")


def test_preview_computes_without_writing(db, company, accountant, three_lines):
    before = _counts(db)
    totals = invoice_preview_totals(db, actor=accountant, data=three_lines)

    assert totals.total == D("221.14")
    assert _counts(db) == before


def test_duplicate_copies_lines_with_new_dates(db, company, accountant, customer, rates,
                                               three_lines):
    source = invoice_create_draft(db, actor=accountant, data=three_lines)
    invoice_issue(db, actor=accountant, invoice_id=source.id, today=ISSUE_DATE)
    invoice_cancel(db, actor=accountant, invoice_id=source.id, reason="Wrong address")
    today = date(2031, 6, 1)

    copy = invoice_duplicate(db, actor=accountant, invoice_id=source.id, today=today)

    assert (copy.status, copy.number, copy.issue_date, copy.due_date) == (
        "draft", None, today, today + timedelta(days=14))
    assert (copy.total, copy.discount_type, copy.discount_value) == (D("221.14"), "percent", D("10"))
    detail = invoice_detail(db, actor=accountant, invoice_id=copy.id)
    assert [(d.line.description, d.net, [t.tax_rate_id for t in d.taxes]) for d in detail.lines] == [
        ("Design", D("95.00"), [rates.standard.id]), ("Handbook", D("35.00"), [rates.reduced.id]),
        ("Hosting", D("80.00"), [rates.standard.id])]
    entry = db.exec(select(AuditLog).where(AuditLog.action == "invoice.duplicate",
                                           AuditLog.entity_id == str(copy.id))).one()
    assert entry.details["from_invoice_id"] == source.id


def test_viewers_cannot_write(db, company, viewer, accountant, customer):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    attempts = [
        lambda: invoice_create_draft(db, actor=viewer, data=draft(customer, line())),
        lambda: invoice_update_draft(db, actor=viewer, invoice_id=invoice.id,
                                     data=draft(customer, line())),
        lambda: invoice_preview_totals(db, actor=viewer, data=draft(customer, line())),
        lambda: invoice_issue(db, actor=viewer, invoice_id=invoice.id),
        lambda: invoice_cancel(db, actor=viewer, invoice_id=invoice.id, reason="No"),
        lambda: invoice_duplicate(db, actor=viewer, invoice_id=invoice.id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    db.expire_all()
    assert db.get(Invoice, invoice.id).status == "draft"


def test_unknown_invoices_are_not_found(db, company, accountant, customer):
    with pytest.raises(NotFound):
        invoice_update_draft(db, actor=accountant, invoice_id=2**31 - 2,
                             data=draft(customer, line()))
