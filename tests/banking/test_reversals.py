"""Reversed and returned statement lines (camt.053 written here): a client's payment the bank
took back, our refund that came back, and a return that matches nothing we recorded."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from billing_app.errors import Conflict, PermissionDenied
from billing_app.models import AuditLog, BankStatementLine, MatchProposal, ReversalProposal
from billing_app.queries.payments import client_credit
from billing_app.queries.reversals import reversals_waiting
from billing_app.services.banking import (
    proposal_accept,
    reversal_accept,
    reversal_dismiss,
    statement_import,
)
from billing_app.services.payments import refund_payment
from tests.support.camt import Entry, camt053

IBAN = "DE89370400440532013000"
PAID, REVERSED = date(2031, 3, 10), date(2031, 3, 14)


def _import(db, actor, *entries: Entry, name: str):
    return statement_import(db, actor=actor, file_name=f"{name}.xml",
                            data=camt053(*entries, statement_id=name))


def _waiting(db, actor) -> ReversalProposal:
    [item] = reversals_waiting(db, actor=actor)
    return db.get(ReversalProposal, item.proposal_id)


@pytest.fixture
def paid_from_bank(db, accountant, customer, issued):
    """An invoice paid by a statement line (the proposal accepted): (invoice, payment)."""
    invoice = issued("600.00")
    _import(db, accountant, Entry("600.00", PAID, customer.name, IBAN, invoice.number,
                                  end_to_end_id="E2E-4711"), name="paid")
    proposal = db.exec(select(MatchProposal)).one()
    payment = proposal_accept(db, actor=accountant, proposal_id=proposal.id, today=PAID)
    assert invoice.status == "paid"
    return invoice, payment


def test_a_reversed_client_payment_is_proposed_as_returned_and_reopens_the_invoice(
        db, accountant, customer, paid_from_bank):
    invoice, payment = paid_from_bank
    result = _import(db, accountant, Entry("-600.00", REVERSED, customer.name, IBAN,
                                           invoice.number, end_to_end_id="E2E-4711",
                                           reversal=True), name="reversed")
    assert result.new_credits == 0  # never offered as money received
    proposal = _waiting(db, accountant)
    assert (proposal.kind, proposal.payment_id) == ("payment_returned", payment.id)
    assert proposal.explanation == (f"The bank reversed {customer.name}'s payment of €600.00 "
                                    "of 10 Mar 2031.")
    assert invoice.status == "paid"  # nothing changes before the accountant decides

    reversal_accept(db, actor=accountant, proposal_id=proposal.id, today=REVERSED)
    db.refresh(invoice)
    assert (payment.status, invoice.status, invoice.balance_due) == (
        "returned", "issued", Decimal("600.00"))
    line = db.get(BankStatementLine, proposal.line_id)
    assert (line.status, line.payment_id) == ("matched", payment.id)
    entry = db.exec(select(AuditLog).where(AuditLog.action == "payment.returned")).one()
    assert entry.details["bank_line_id"] == line.id
    assert reversals_waiting(db, actor=accountant) == []
    with pytest.raises(Conflict, match="already accepted"):
        reversal_accept(db, actor=accountant, proposal_id=proposal.id, today=REVERSED)


def test_a_reversal_of_another_amount_or_of_an_unknown_payer_proposes_nothing_to_undo(
        db, accountant, customer, paid_from_bank):
    invoice, payment = paid_from_bank
    _import(db, accountant, Entry("-599.00", REVERSED, customer.name, IBAN, reversal=True),
            name="other-amount")
    proposal = _waiting(db, accountant)
    assert (proposal.kind, proposal.payment_id) == ("set_aside", None)
    assert "no payment we recorded matches it" in proposal.explanation
    reversal_dismiss(db, actor=accountant, proposal_id=proposal.id)
    assert payment.status == "completed" and invoice.status == "paid"


def test_our_refund_that_came_back_is_undone_and_the_credit_restored(
        db, accountant, customer, paid_from_bank):
    _, payment = paid_from_bank  # its IBAN was learned for the client when it was accepted
    refund = refund_payment(db, actor=accountant, payment_id=payment.id, today=REVERSED,
                            data={"amount": "100.00", "reason": "Discount agreed"})
    _import(db, accountant, Entry("100.00", date(2031, 3, 20), customer.name, IBAN,
                                  "Refund", reversal=True, client_is_debtor=False),
            name="refund-back")
    proposal = _waiting(db, accountant)
    assert (proposal.kind, proposal.refund_id) == ("refund_undone", refund.id)
    assert proposal.explanation.startswith(f"Our refund of €100.00 to {customer.name} of "
                                           "14 Mar 2031 came back")
    reversal_accept(db, actor=accountant, proposal_id=proposal.id)
    assert refund.status == "reversed"
    assert client_credit(db, customer.id) == {"EUR": Decimal("100.00")}


def test_a_returned_payment_of_ours_matching_no_refund_is_set_aside_with_the_reason(
        db, accountant, customer):
    result = _import(db, accountant, Entry("75.00", date(2031, 3, 20), "Somebody Else",
                                           "GB33BUKB20201555555555", "Supplier refund",
                                           return_reason="AC04", client_is_debtor=False),
                     name="returned")
    assert result.new_credits == 0
    proposal = _waiting(db, accountant)
    assert proposal.kind == "set_aside"
    assert proposal.explanation == (
        "A payment of €75.00 we made to Somebody Else came back (returned by the bank); it is "
        "not money received from a client, and no refund we recorded matches it. "
        "Reason: account closed (AC04).")
    reversal_accept(db, actor=accountant, proposal_id=proposal.id)
    assert db.get(BankStatementLine, proposal.line_id).status == "ignored"
    assert db.exec(select(AuditLog).where(AuditLog.action == "bank_reversal.accept")).one()


def test_only_writers_decide(db, accountant, viewer, customer, paid_from_bank):
    invoice, _ = paid_from_bank
    _import(db, accountant, Entry("-600.00", REVERSED, customer.name, IBAN, invoice.number,
                                  reversal=True), name="reversed")
    proposal = _waiting(db, accountant)
    with pytest.raises(PermissionDenied):
        reversal_accept(db, actor=viewer, proposal_id=proposal.id)
