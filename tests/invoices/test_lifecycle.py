"""Issue, numbering, credit limits, cancel and overdue on PostgreSQL."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlmodel import select

from billing_app.domain.invoice_status import TransitionNotAllowed
from billing_app.errors import Conflict, PermissionDenied, ValidationFailed
from billing_app.models import AuditLog, CreditNote, Invoice, InvoiceStatusHistory, NumberSequence
from billing_app.services.invoices import (
    CreditLimitExceeded,
    invoice_cancel,
    invoice_create_draft,
    invoice_issue,
    invoice_refresh_balance,
    invoices_mark_overdue,
)
from billing_app.services.numbering import next_number
from tests.invoices.conftest import ISSUE_DATE, draft, line


def _history(db, invoice_id: int) -> list[tuple]:
    rows = db.exec(select(InvoiceStatusHistory).where(InvoiceStatusHistory.invoice_id == invoice_id)
                   .order_by(InvoiceStatusHistory.id)).all()
    return [(row.from_status, row.to_status, row.changed_by_id) for row in rows]


def test_numbers_follow_the_pattern_and_restart_each_year(db, company, issued):
    numbers = [issued(issue_date=day).number for day in
               (date(2031, 1, 2), date(2031, 6, 30), date(2031, 12, 31), date(2032, 1, 1),
                date(2032, 1, 2))]

    assert numbers == ["INV-2031-00001", "INV-2031-00002", "INV-2031-00003", "INV-2032-00001",
                       "INV-2032-00002"]


def test_a_new_pattern_applies_to_the_next_number(db, company, issued):
    issued()
    company.invoice_number_pattern = "{YY}/{SEQ}"
    assert issued().number == "31/2"  # the year's sequence goes on


def test_a_rolled_back_issue_gives_its_number_back(db, company, accountant, customer, issued):
    issued()
    second = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    savepoint = db.begin_nested()
    assert invoice_issue(db, actor=accountant, invoice_id=second.id).number == "INV-2031-00002"
    savepoint.rollback()

    assert invoice_issue(db, actor=accountant, invoice_id=second.id).number == "INV-2031-00002"


def test_next_number_refuses_a_broken_pattern(db, company):
    with pytest.raises(Conflict, match="pattern"):
        next_number(db, company_id=company.id, kind="invoice", pattern="INV-{SEQ}-{SEQ}",
                    issue_date=ISSUE_DATE)


def test_issue_numbers_the_invoice_and_writes_history_and_audit(db, company, accountant, customer):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    invoice_issue(db, actor=accountant, invoice_id=invoice.id, today=ISSUE_DATE)
    db.expire_all()

    stored = db.get(Invoice, invoice.id)
    assert (stored.status, stored.number, stored.balance_due) == ("issued", "INV-2031-00001",
                                                                  D("100.00"))
    assert stored.sent_at is None  # issued is not delivered: sent once emailed or marked sent
    assert _history(db, invoice.id) == [(None, "draft", accountant.id),
                                        ("draft", "issued", accountant.id)]
    entry = db.exec(select(AuditLog).where(AuditLog.action == "invoice.issue",
                                           AuditLog.entity_id == str(invoice.id))).one()
    assert entry.actor_user_id == accountant.id and entry.details["number"] == "INV-2031-00001"


def test_an_invoice_issued_after_its_due_date_is_overdue_at_once(db, company, accountant,
                                                                   customer):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    invoice_issue(db, actor=accountant, invoice_id=invoice.id, today=date(2031, 4, 1))

    assert invoice.status == "overdue"
    assert [h[1] for h in _history(db, invoice.id)] == ["draft", "issued", "overdue"]


def test_issue_needs_a_line(db, company, accountant, customer):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer))
    with pytest.raises(ValidationFailed, match="at least one line") as failed:
        invoice_issue(db, actor=accountant, invoice_id=invoice.id)
    assert failed.value.field == "lines"
    assert (invoice.status, invoice.number) == ("draft", None)


def test_issue_refuses_an_archived_client(db, company, accountant, customer):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    customer.is_archived = True
    db.flush()
    with pytest.raises(Conflict, match="archived"):
        invoice_issue(db, actor=accountant, invoice_id=invoice.id)
    assert db.exec(select(NumberSequence).where(NumberSequence.period_key == "2031")).first() is None


def test_an_issued_invoice_cannot_be_issued_again(db, company, accountant, issued):
    invoice = issued()
    with pytest.raises(TransitionNotAllowed, match="already issued"):
        invoice_issue(db, actor=accountant, invoice_id=invoice.id)


@pytest.fixture
def over_the_limit(db, company, accountant, customer, issued):
    """A client with a 1,000.00 limit that owes 800.00; a draft of 221.14 would pass it by 21.14."""
    customer.credit_limit = D("1000.00")
    issued("800.00")
    return invoice_create_draft(db, actor=accountant, data=draft(
        customer, line(quantity="2", unit_price="110.57")))


def test_the_credit_limit_blocks_issue_and_says_by_how_much(db, accountant, over_the_limit):
    with pytest.raises(CreditLimitExceeded) as blocked:
        invoice_issue(db, actor=accountant, invoice_id=over_the_limit.id)

    assert blocked.value.excess == D("21.14")
    assert "€21.14 over its credit limit of €1,000.00" in blocked.value.message
    assert isinstance(blocked.value, Conflict)
    assert (over_the_limit.status, over_the_limit.number) == ("draft", None)


def test_an_accountant_cannot_override_the_credit_limit(db, accountant, over_the_limit):
    with pytest.raises(PermissionDenied):
        invoice_issue(db, actor=accountant, invoice_id=over_the_limit.id,
                      override_credit_limit=True)
    assert over_the_limit.status == "draft"


def test_an_admin_override_is_audited_with_the_amounts(db, admin, over_the_limit):
    invoice_issue(db, actor=admin, invoice_id=over_the_limit.id, override_credit_limit=True)

    assert over_the_limit.status == "issued"
    entry = db.exec(select(AuditLog).where(AuditLog.action == "invoice.credit_limit_override",
                                           AuditLog.entity_id == str(over_the_limit.id))).one()
    assert entry.actor_user_id == admin.id
    assert {k: D(v) for k, v in entry.details.items() if k not in ("currency", "client_id")} == {
        "credit_limit": D("1000"), "outstanding": D("800"), "invoice_total": D("221.14"),
        "excess": D("21.14")}


def test_within_the_limit_no_override_is_needed(db, company, accountant, customer, issued):
    customer.credit_limit = D("1000.00")
    issued("800.00")
    invoice = issued("200.00")  # 1,000.00 exactly is within the limit

    assert invoice.status == "issued"
    assert db.exec(select(AuditLog.action).where(AuditLog.entity_id == str(invoice.id))
                   .order_by(AuditLog.id)).all() == ["invoice.create_draft", "invoice.issue"]


def test_other_currencies_do_not_count_against_the_limit(db, company, accountant, customer, issued):
    customer.credit_limit = D("1000.00")
    issued("900.00", currency="USD")
    assert issued("900.00").status == "issued"


def test_cancelling_a_draft_keeps_no_number(db, company, accountant, customer):
    invoice = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    invoice_cancel(db, actor=accountant, invoice_id=invoice.id, reason="Not needed")

    assert (invoice.status, invoice.number, invoice.balance_due) == ("cancelled", None, D("0"))
    assert db.exec(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).all() == []
    last = db.exec(select(InvoiceStatusHistory).where(InvoiceStatusHistory.invoice_id == invoice.id)
                   .order_by(InvoiceStatusHistory.id.desc())).first()
    assert (last.to_status, last.note, last.changed_by_id) == ("cancelled", "Not needed",
                                                               accountant.id)


def test_cancelling_an_issued_invoice_credits_it_in_full(db, company, accountant, issued):
    invoice = issued("250.00")
    invoice_cancel(db, actor=accountant, invoice_id=invoice.id, reason="Ordered by mistake",
                   today=date(2031, 3, 10))

    assert (invoice.status, invoice.number, invoice.balance_due, invoice.amount_credited) == (
        "cancelled", "INV-2031-00001", D("0"), D("250.00"))
    note = db.exec(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).one()
    assert (note.number, note.total, note.reason) == ("CN-2031-00001", D("250.00"),
                                                      "Ordered by mistake")


def test_an_invoice_with_payments_cannot_be_cancelled(db, company, accountant, issued):
    invoice = issued()
    invoice.amount_paid = D("40.00")
    invoice_refresh_balance(db, actor=accountant, invoice=invoice, today=ISSUE_DATE)
    assert invoice.status == "partially_paid"
    with pytest.raises(TransitionNotAllowed, match="remove its payments first"):
        invoice_cancel(db, actor=accountant, invoice_id=invoice.id, reason="Oops")

    invoice_refresh_balance(db, actor=accountant, invoice=invoice, today=date(2031, 5, 1))
    assert invoice.status == "overdue"
    with pytest.raises(Conflict, match="remove its payments first"):
        invoice_cancel(db, actor=accountant, invoice_id=invoice.id, reason="Oops")
    assert invoice.status == "overdue"


def test_cancelling_needs_a_reason(db, company, accountant, issued):
    invoice = issued()
    with pytest.raises(ValidationFailed) as failed:
        invoice_cancel(db, actor=accountant, invoice_id=invoice.id, reason="  ")
    assert failed.value.field == "reason"


def test_payments_move_the_status_and_back(db, company, accountant, issued):
    invoice = issued()
    invoice.amount_paid = D("100.00")
    invoice_refresh_balance(db, actor=accountant, invoice=invoice, today=ISSUE_DATE)
    assert (invoice.status, invoice.balance_due) == ("paid", D("0"))
    assert invoice.paid_at is not None

    invoice.amount_paid = D("30.00")  # a payment was voided
    invoice_refresh_balance(db, actor=accountant, invoice=invoice, today=ISSUE_DATE)
    assert (invoice.status, invoice.balance_due, invoice.paid_at) == ("partially_paid",
                                                                      D("70.00"), None)


def test_mark_overdue_moves_open_invoices_past_due(db, company, accountant, customer, issued):
    due = ISSUE_DATE + timedelta(days=14)
    sent, part_paid, paid = issued(), issued(), issued()
    part_paid.amount_paid = D("10.00")
    paid.amount_paid = D("100.00")
    for invoice in (part_paid, paid):
        invoice_refresh_balance(db, actor=accountant, invoice=invoice, today=ISSUE_DATE)
    later = issued(issue_date=due)  # due two weeks later
    draft_row = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    db.flush()

    assert invoices_mark_overdue(db, today=due) == 0  # due today is not late yet
    assert invoices_mark_overdue(db, today=due + timedelta(days=1)) == 2
    assert invoices_mark_overdue(db, today=due + timedelta(days=1)) == 0
    db.expire_all()

    statuses = {i.id: db.get(Invoice, i.id).status for i in (sent, part_paid, paid, later, draft_row)}
    assert statuses == {sent.id: "overdue", part_paid.id: "overdue", paid.id: "paid",
                        later.id: "issued", draft_row.id: "draft"}
    assert _history(db, part_paid.id)[-1] == ("partially_paid", "overdue", None)
    assert _history(db, sent.id)[-1] == ("issued", "overdue", None)
