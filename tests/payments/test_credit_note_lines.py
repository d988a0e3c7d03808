"""Credit notes by line on real PostgreSQL: part quantities, tax per rate to the cent,
over-crediting refused with nothing written, and the invoice's balance afterwards."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.errors import PermissionDenied, ValidationFailed
from billing_app.models import CreditNote, CreditNoteLine, CreditNoteTax, InvoiceLine
from billing_app.models.users import Role
from billing_app.queries.credit_notes import creditable_lines
from billing_app.queries.payments import client_credit, client_statement
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.payments import credit_note_issue, payment_record
from tests.invoices.conftest import ISSUE_DATE, draft, line
from tests.support.factories import make_user

TODAY = ISSUE_DATE + timedelta(days=3)


@pytest.fixture
def mixed(db, company, accountant, customer, rates):
    """An invoice of 3 x 33.33 and 1 x 10.00 at 19 %, 2 x 12.99 at 7 %: 158.69 in all."""
    made = invoice_create_draft(db, actor=accountant, data=draft(
        customer,
        line("Design hours", quantity="3", unit_price="33.33", tax_rate_ids=[rates.standard.id]),
        line("Printed guides", quantity="2", unit_price="12.99", tax_rate_ids=[rates.reduced.id]),
        line("Setup", quantity="1", unit_price="10.00", tax_rate_ids=[rates.standard.id])))
    invoice = invoice_issue(db, actor=accountant, invoice_id=made.id, today=ISSUE_DATE)
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (
        Decimal("135.97"), Decimal("22.72"), Decimal("158.69"))
    return invoice


def line_ids(db, invoice) -> list[int]:
    return db.exec(select(InvoiceLine.id).where(InvoiceLine.invoice_id == invoice.id)
                   .order_by(InvoiceLine.position)).all()


def credit(db, actor, invoice, *quantities, reason="Returned goods"):
    """Credit (invoice line index, quantity) pairs of the invoice."""
    ids = line_ids(db, invoice)
    return credit_note_issue(db, actor=actor, invoice_id=invoice.id, today=TODAY, data={
        "reason": reason, "lines": [{"invoice_line_id": ids[i], "quantity": q}
                                    for i, q in quantities]})


def taxes_of(db, note) -> dict[Decimal, tuple[Decimal, Decimal]]:
    return {tax.rate: (tax.base, tax.amount) for tax in db.exec(
        select(CreditNoteTax).where(CreditNoteTax.credit_note_id == note.id))}


def note_count(db) -> int:
    return db.exec(select(func.count()).select_from(CreditNote)).one()


def test_part_quantities_of_mixed_rate_lines_are_credited_with_tax_per_rate(
        db, accountant, mixed):
    note = credit(db, accountant, mixed, (0, "1"), (1, "1.5"))
    # 33.33 at 19 % -> 6.33; 1.5 x 12.99 = 19.485 -> 19.49 at 7 % -> 1.36
    assert taxes_of(db, note) == {Decimal("19"): (Decimal("33.33"), Decimal("6.33")),
                                  Decimal("7"): (Decimal("19.49"), Decimal("1.36"))}
    assert (note.subtotal, note.tax_total, note.total) == (
        Decimal("52.82"), Decimal("7.69"), Decimal("60.51"))
    assert note.number.startswith("CN-2031-")
    lines = db.exec(select(CreditNoteLine).where(CreditNoteLine.credit_note_id == note.id)
                    .order_by(CreditNoteLine.position)).all()
    assert [(n.description, n.quantity, n.line_net) for n in lines] == [
        ("Design hours", Decimal("1"), Decimal("33.33")),
        ("Printed guides", Decimal("1.5"), Decimal("19.49"))]
    assert (mixed.amount_credited, mixed.balance_due) == (Decimal("60.51"), Decimal("98.18"))
    assert [c.remaining for c in creditable_lines(db, mixed.id)] == [
        Decimal("2"), Decimal("0.5"), Decimal("1")]


def test_crediting_the_rest_line_by_line_adds_up_to_the_invoice_to_the_cent(
        db, accountant, mixed):
    notes = [credit(db, accountant, mixed, (0, "1"), (1, "1.5")),
             credit(db, accountant, mixed, (0, "1")),
             credit(db, accountant, mixed, (0, "1"), (1, "0.5"), (2, "1"))]
    assert sum(n.tax_total for n in notes) == mixed.tax_total
    assert sum(n.total for n in notes) == mixed.total
    per_rate = {}
    for note in notes:
        for rate, (_, amount) in taxes_of(db, note).items():
            per_rate[rate] = per_rate.get(rate, 0) + amount
    assert per_rate == {Decimal("19"): Decimal("20.90"), Decimal("7"): Decimal("1.82")}
    assert (mixed.balance_due, mixed.status) == (Decimal("0"), "paid")


def test_more_than_is_left_on_a_line_is_refused_and_nothing_is_written(db, accountant, mixed):
    credit(db, accountant, mixed, (1, "1.5"))
    before, balance = note_count(db), mixed.balance_due
    with pytest.raises(ValidationFailed, match="at most 0.5 of “Printed guides”") as refused:
        credit(db, accountant, mixed, (0, "1"), (1, "0.75"))
    assert refused.value.field == "lines.1.quantity"
    for quantities, field, words in [
            ([(0, "0")], "lines.0.quantity", "more than 0"),
            ([(0, "-1")], "lines.0.quantity", "negative"),
            ([], "lines", "at least one line")]:
        with pytest.raises(ValidationFailed, match=words) as refused:
            credit(db, accountant, mixed, *quantities)
        assert refused.value.field == field
    assert (note_count(db), mixed.balance_due) == (before, balance)


def test_lines_above_what_the_invoice_still_allows_are_refused(db, accountant, mixed):
    credit_note_issue(db, actor=accountant, invoice_id=mixed.id, today=TODAY,
                      data={"amount": "150.00", "reason": "Goodwill"})
    with pytest.raises(ValidationFailed, match="at most €8.69 of .* is left to credit") as refused:
        credit(db, accountant, mixed, (2, "1"))  # 11.90
    assert refused.value.field == "lines"
    assert mixed.balance_due == Decimal("8.69")


def test_a_paid_invoice_credited_by_line_gives_the_client_credit_and_a_statement_entry(
        db, accountant, customer, mixed):
    payment_record(db, actor=accountant, today=TODAY, data={
        "client_id": customer.id, "payment_date": TODAY, "amount": "158.69",
        "allocations": [{"invoice_id": mixed.id, "amount": "158.69"}]})
    note = credit(db, accountant, mixed, (2, "1"))
    assert note.total == Decimal("11.90")
    assert (mixed.status, mixed.balance_due, mixed.amount_paid) == (
        "paid", Decimal("0"), Decimal("146.79"))
    assert client_credit(db, customer.id) == {"EUR": Decimal("11.90")}
    entries = client_statement(db, actor=accountant, client_id=customer.id).entries
    assert ("credit_note", note.number, Decimal("11.90")) in [
        (e.kind, e.document, e.credit) for e in entries]


def test_a_viewer_cannot_credit_by_line(db, mixed):
    viewer = make_user(db, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        credit(db, viewer, mixed, (0, "1"))
