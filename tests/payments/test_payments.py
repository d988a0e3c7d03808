"""Recording, allocating, crediting, voiding and refunding payments on real PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from billing_app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from billing_app.models import EmailOutbox, Payment, PaymentAllocation
from billing_app.models.clients import Contact
from billing_app.models.users import Role
from billing_app.queries.payments import (
    client_credit,
    client_statement,
    credit_notes,
    invoice_payments,
)
from billing_app.services.payments import (
    allocation_remove,
    credit_apply,
    credit_note_issue,
    payment_allocate,
    payment_record,
    payment_refund,
    payment_void,
)
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from tests.invoices.conftest import ISSUE_DATE, draft, line
from tests.support.factories import make_client, make_user

PAID_ON = ISSUE_DATE + timedelta(days=3)  # before the due date (14 days)


def pay(db, actor, client, amount, *allocations, **extra) -> Payment:
    return payment_record(db, actor=actor, today=PAID_ON, data={
        "client_id": client.id, "payment_date": PAID_ON, "amount": amount,
        "allocations": [{"invoice_id": invoice.id, "amount": part} for invoice, part in allocations],
        **extra})


def test_partial_then_full_payment_moves_the_invoice_to_partially_paid_then_paid(
        db, accountant, customer, issued):
    invoice = issued("100.00")
    pay(db, accountant, customer, "40.00", (invoice, "40.00"))
    assert (invoice.status, invoice.balance_due, invoice.amount_paid) == (
        "partially_paid", Decimal("60.00"), Decimal("40.00"))
    pay(db, accountant, customer, "60.00", (invoice, "60.00"))
    assert (invoice.status, invoice.balance_due) == ("paid", Decimal("0"))
    assert invoice.paid_at is not None
    assert [row.amount for row in invoice_payments(db, actor=accountant, invoice_id=invoice.id)] \
        == [Decimal("40.00"), Decimal("60.00")]


def test_one_payment_across_several_invoices_and_the_rest_is_client_credit(
        db, accountant, customer, issued):
    first, second = issued("100.00"), issued("50.00")
    payment = pay(db, accountant, customer, "200.00", (first, "100.00"), (second, "50.00"))
    assert (first.status, second.status) == ("paid", "paid")
    assert payment.amount_allocated == Decimal("150.00")
    assert client_credit(db, customer.id) == {"EUR": Decimal("50.00")}


def test_auto_allocation_pays_the_oldest_due_first(db, accountant, customer, issued):
    later = issued("100.00", issue_date=ISSUE_DATE)
    older = issued("100.00", issue_date=ISSUE_DATE - timedelta(days=10))
    pay(db, accountant, customer, "150.00", auto_allocate=True)
    assert (older.status, older.balance_due) == ("paid", Decimal("0"))
    assert (later.status, later.balance_due) == ("partially_paid", Decimal("50.00"))


def test_credit_is_applied_to_a_later_invoice(db, accountant, customer, issued):
    pay(db, accountant, customer, "80.00")  # nothing open yet: all of it is credit
    assert client_credit(db, customer.id) == {"EUR": Decimal("80.00")}
    invoice = issued("100.00")
    credit_apply(db, actor=accountant, invoice_id=invoice.id, today=PAID_ON)
    assert (invoice.status, invoice.balance_due) == ("partially_paid", Decimal("20.00"))
    assert client_credit(db, customer.id) == {}


def test_an_existing_payment_remainder_can_be_allocated_and_taken_back(
        db, accountant, customer, issued):
    payment = pay(db, accountant, customer, "70.00")
    invoice = issued("100.00")
    payment_allocate(db, actor=accountant, payment_id=payment.id, today=PAID_ON,
                     allocations=[{"invoice_id": invoice.id, "amount": "70.00"}])
    assert invoice.balance_due == Decimal("30.00")
    allocation = db.exec(select(PaymentAllocation).where(
        PaymentAllocation.payment_id == payment.id)).one()
    allocation_remove(db, actor=accountant, allocation_id=allocation.id, today=PAID_ON)
    assert (invoice.status, invoice.balance_due) == ("issued", Decimal("100.00"))
    assert client_credit(db, customer.id) == {"EUR": Decimal("70.00")}


def test_an_invoice_named_twice_in_one_allocation_is_refused_plainly(db, accountant, customer,
                                                                      issued):
    """Each part alone fits the balance, together they overpay: only the database's last guard
    stopped it once, with a 409."""
    payment = pay(db, accountant, customer, "100.00")
    invoice = issued("60.00")
    with pytest.raises(ValidationFailed, match="each invoice once") as raised:
        payment_allocate(db, actor=accountant, payment_id=payment.id, today=PAID_ON,
                         allocations=[{"invoice_id": invoice.id, "amount": "40.00"},
                                      {"invoice_id": invoice.id, "amount": "40.00"}])
    assert raised.value.field == "allocations"
    assert invoice.balance_due == Decimal("60.00") and payment.amount_allocated == 0


@pytest.mark.parametrize("reverse", [payment_void, payment_refund])
def test_void_and_refund_reopen_the_invoices(db, accountant, customer, issued, reverse):
    invoice = issued("100.00")
    payment = pay(db, accountant, customer, "120.00", (invoice, "100.00"))
    reverse(db, actor=accountant, payment_id=payment.id, reason="Bounced", today=PAID_ON)
    assert (invoice.status, invoice.balance_due, invoice.amount_paid) == (
        "issued", Decimal("100.00"), Decimal("0"))  # never delivered: back to issued
    assert client_credit(db, customer.id) == {}  # its 20.00 surplus is gone with it
    with pytest.raises(Conflict, match="already"):
        reverse(db, actor=accountant, payment_id=payment.id, reason="Again", today=PAID_ON)


def test_voiding_a_payment_on_a_past_due_invoice_makes_it_overdue_again(
        db, accountant, customer, issued):
    invoice = issued("100.00")
    payment = pay(db, accountant, customer, "100.00", (invoice, "100.00"))
    payment_void(db, actor=accountant, payment_id=payment.id, reason="Wrong client",
                 today=invoice.due_date + timedelta(days=1))
    assert invoice.status == "overdue"


@pytest.mark.parametrize(("amount", "message"), [
    ("100.01", "only €100.00 left to pay"),
    ("0", "more than 0"),
    ("-5", "Cannot be negative"),
    ("abc", "Allocations #1 amount: 'abc' is not an amount"),
])
def test_bad_allocations_are_refused_and_nothing_is_written(
        db, accountant, customer, issued, amount, message):
    invoice = issued("100.00")
    before = db.exec(select(Payment.id)).all()
    with pytest.raises(ValidationFailed, match=message):
        pay(db, accountant, customer, "500.00", (invoice, amount))
    db.rollback()
    assert db.exec(select(Payment.id)).all() == before


def test_allocations_cannot_exceed_the_payment(db, accountant, customer, issued):
    first, second = issued("100.00"), issued("100.00")
    with pytest.raises(ValidationFailed, match="only €150.00 of the payment"):
        pay(db, accountant, customer, "150.00", (first, "100.00"), (second, "60.00"))


def test_another_clients_invoice_and_another_currency_are_refused(
        db, accountant, customer, issued):
    stranger_invoice = issued("100.00", client=make_client(db))
    with pytest.raises(ValidationFailed, match="belongs to another client"):
        pay(db, accountant, customer, "100.00", (stranger_invoice, "100.00"))
    invoice = issued("100.00")
    with pytest.raises(ValidationFailed, match="is in EUR, the payment in USD"):
        pay(db, accountant, customer, "100.00", (invoice, "100.00"), currency="USD")


def test_amount_with_more_decimals_than_the_currency_is_refused(db, accountant, customer):
    with pytest.raises(ValidationFailed, match="at most 2 decimals"):
        pay(db, accountant, customer, "10.005")


def test_a_viewer_cannot_record_payments(db, viewer, customer):
    with pytest.raises(PermissionDenied):
        pay(db, viewer, customer, "10.00")


def test_a_receipt_email_is_queued_to_the_primary_contact(db, accountant, customer, issued):
    db.add(Contact(client_id=customer.id, name="Ana", email="ana@harbor.example",
                   is_primary=True))
    invoice = issued("100.00")
    payment = pay(db, accountant, customer, "130.00", (invoice, "100.00"), reference="R-77")
    email = db.exec(select(EmailOutbox).where(EmailOutbox.payment_id == payment.id)).one()
    assert email.to_address == "ana@harbor.example"
    assert email.status == "queued" and email.kind == "payment_receipt"
    assert "€130.00" in email.subject
    assert invoice.number in email.body_text and "now paid in full" in email.body_text
    assert "€30.00 of it is kept as credit" in email.body_text


def test_a_partial_credit_note_lowers_the_balance_and_is_numbered(
        db, accountant, customer, issued, rates):
    invoice = issued("100.00")
    note = credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=PAID_ON,
                             data={"amount": "30.00", "reason": "Damaged goods"})
    assert note.number.startswith("CN-") and note.total == Decimal("30.00")
    assert (invoice.balance_due, invoice.amount_credited) == (Decimal("70.00"), Decimal("30.00"))
    with pytest.raises(ValidationFailed, match="at most €70.00"):
        credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=PAID_ON,
                          data={"amount": "70.01", "reason": "Too much"})


def test_credit_notes_split_tax_without_drifting_a_cent(db, accountant, customer, issued, rates):
    made = invoice_create_draft(db, actor=accountant, data=draft(
        customer, line(unit_price="33.33", tax_rate_ids=[rates.standard.id])))
    invoice = invoice_issue(db, actor=accountant, invoice_id=made.id, today=ISSUE_DATE)
    notes = [credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=PAID_ON,
                               data={"amount": amount, "reason": "Split"})
             for amount in ("13.33", "13.33", str(invoice.total - Decimal("26.66")))]
    assert sum(n.tax_total for n in notes) == invoice.tax_total
    assert sum(n.total for n in notes) == invoice.total
    assert invoice.balance_due == 0


def test_crediting_a_paid_invoice_turns_the_excess_into_client_credit(
        db, accountant, customer, issued):
    invoice = issued("100.00")
    payment = pay(db, accountant, customer, "100.00", (invoice, "100.00"))
    credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=PAID_ON,
                      data={"amount": "25.00", "reason": "Returned one item"})
    assert (invoice.status, invoice.balance_due, invoice.amount_paid) == (
        "paid", Decimal("0"), Decimal("75.00"))
    assert payment.amount_allocated == Decimal("75.00")
    assert client_credit(db, customer.id) == {"EUR": Decimal("25.00")}


def test_statement_lists_invoices_credit_notes_payments_and_refunds_with_a_running_balance(
        db, accountant, customer, issued):
    invoice = issued("100.00")
    credit_note_issue(db, actor=accountant, invoice_id=invoice.id, today=PAID_ON,
                      data={"amount": "10.00", "reason": "Discount", "issue_date": PAID_ON})
    payment = pay(db, accountant, customer, "90.00", (invoice, "90.00"), reference="Bank 1")
    payment_refund(db, actor=accountant, payment_id=payment.id, reason="Paid twice")
    statement = client_statement(db, actor=accountant, client_id=customer.id)
    # the refund is dated today, years before these test invoices: it comes first
    assert [(e.kind, e.debit, e.credit, e.balance) for e in statement.entries] == [
        ("refund", Decimal("90.00"), 0, Decimal("90.00")),
        ("invoice", Decimal("100.00"), 0, Decimal("190.00")),
        ("credit_note", 0, Decimal("10.00"), Decimal("180.00")),
        ("payment", 0, Decimal("90.00"), Decimal("90.00"))]
    assert statement.closing_balance == Decimal("90.00") == invoice.balance_due


def test_a_client_user_reads_the_payments_and_credit_notes_of_its_own_invoices_only(
        db, accountant, customer, issued):
    own, foreign = issued("100.00"), issued("100.00", client=make_client(db))
    pay(db, accountant, customer, "40.00", (own, "40.00"))
    credit_note_issue(db, actor=accountant, invoice_id=own.id, today=PAID_ON,
                      data={"amount": "10.00", "reason": "Goodwill"})
    client_user = make_user(db, Role.CLIENT, client_id=customer.id)
    assert [row.amount for row in invoice_payments(db, actor=client_user, invoice_id=own.id)] \
        == [Decimal("40.00")]
    assert [row.credit_note.total for row in credit_notes(db, actor=client_user,
                                                          invoice_id=own.id)] == [Decimal("10.00")]
    for read in (invoice_payments, credit_notes):
        with pytest.raises(NotFound):
            read(db, actor=client_user, invoice_id=foreign.id)
    with pytest.raises(PermissionDenied):
        client_statement(db, actor=client_user, client_id=customer.id)
