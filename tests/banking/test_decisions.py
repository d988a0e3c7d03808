"""Accepting, rejecting, matching by hand and setting aside statement lines."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from billing_app.errors import Conflict, PermissionDenied, ValidationFailed
from billing_app.models import (
    AuditLog,
    ClientBankAccount,
    LineStatus,
    MatchProposal,
    PaymentAllocation,
)
from billing_app.queries.payments import client_credit
from billing_app.services.banking import (
    line_ignore,
    line_match_manually,
    proposal_accept,
    proposal_reject,
    proposals_accept_confident,
    proposals_build,
)
from billing_app.services.payments import AllocationIn, payment_record
from tests.banking.conftest import BOOKED, line_of, proposal_for, proposed_amounts
from tests.support.factories import make_client

IBAN = "DE89370400440532013000"


def allocations(db, payment) -> dict[int, Decimal]:
    return {row.invoice_id: row.amount for row in db.exec(
        select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id))}


def test_accepting_records_the_payment_and_learns_the_payers_account(
        db, accountant, customer, issued, receive):
    full, part = issued("100.00"), issued("80.00")
    reference, booked = f"{full.number} {part.number}", full.due_date - timedelta(days=9)
    receive(dict(amount="150.00", reference=reference, iban=IBAN, name="Someone Else",
                 date=booked))
    proposal = proposal_for(db, reference)

    payment = proposal_accept(db, actor=accountant, proposal_id=proposal.id, today=booked)

    assert (payment.client_id, payment.amount, payment.payment_date, payment.method,
            payment.reference) == (customer.id, Decimal("150.00"), booked, "bank_transfer",
                                   reference)
    assert allocations(db, payment) == {full.id: Decimal("100.00"), part.id: Decimal("50.00")}
    db.refresh(full), db.refresh(part)
    assert (full.status, part.status, part.balance_due) == (
        "paid", "partially_paid", Decimal("30.00"))
    line = line_of(db, reference)
    assert (line.status, line.payment_id) == (LineStatus.MATCHED, payment.id)
    assert proposal.status == "accepted" and proposal.decided_by_id == accountant.id
    learned = db.exec(select(ClientBankAccount).where(ClientBankAccount.iban == IBAN)).one()
    assert (learned.client_id, learned.holder_name) == (customer.id, "Someone Else")
    assert db.exec(select(AuditLog).where(AuditLog.action == "bank_match.accept")).one()

    # the next payment from that account, without any reference, points to the client
    receive(dict(amount="30.00", reference="", iban=IBAN, name="Someone Else"))
    again = db.exec(select(MatchProposal).where(MatchProposal.status == "proposed")).one()
    assert again.client_id == customer.id
    assert proposed_amounts(db, again) == {part.id: "30.00"}
    assert f"The payer's account {IBAN} has paid {customer.name} before." in again.evidence


def test_what_no_invoice_takes_becomes_client_credit(db, accountant, customer, issued,
                                                     receive):
    invoice = issued("100.00")
    receive(dict(amount="120.00", reference=invoice.number))
    proposal_accept(db, actor=accountant, proposal_id=proposal_for(db, invoice.number).id,
                    today=BOOKED)
    assert client_credit(db, customer.id) == {"EUR": Decimal("20.00")}


def test_an_invoice_paid_meanwhile_is_a_conflict_and_nothing_changes(
        db, accountant, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number))
    proposal = proposal_for(db, invoice.number)
    payment_record(db, actor=accountant, today=BOOKED, data={
        "client_id": customer.id, "payment_date": BOOKED, "amount": "100.00",
        "allocations": [{"invoice_id": invoice.id, "amount": "100.00"}]})

    with pytest.raises(Conflict, match=f"{invoice.number} is paid now"):
        proposal_accept(db, actor=accountant, proposal_id=proposal.id, today=BOOKED)
    db.refresh(proposal)
    assert proposal.status == "proposed"
    assert line_of(db, invoice.number).status == LineStatus.OPEN


def test_bulk_accept_keeps_the_others_when_one_conflicts(db, accountant, customer, issued,
                                                         receive):
    first, second, third = issued("100.00"), issued("200.00"), issued("300.00")
    receive(*(dict(amount=f"{invoice.total:.2f}", reference=invoice.number)
              for invoice in (first, second, third)),
            dict(amount="5.00", reference=f"part of {first.number}"))  # below HIGH
    payment_record(db, actor=accountant, today=BOOKED, data={
        "client_id": customer.id, "payment_date": BOOKED, "amount": "50.00",
        "allocations": [{"invoice_id": second.id, "amount": "50.00"}]})
    conflicting = proposal_for(db, second.number)

    result = proposals_accept_confident(db, actor=accountant, today=BOOKED)

    assert sorted(result.accepted) == sorted(
        [proposal_for_line(db, first.number), proposal_for_line(db, third.number)])
    assert [(skip.proposal_id, skip.line_id) for skip in result.skipped] == [
        (conflicting.id, conflicting.line_id)]
    assert "was paid meanwhile" in result.skipped[0].reason
    db.refresh(first), db.refresh(second), db.refresh(third)
    assert (first.status, second.balance_due, third.status) == ("paid", Decimal("150.00"), "paid")
    assert line_of(db, second.number).status == LineStatus.OPEN
    assert line_of(db, f"part of {first.number}").status == LineStatus.OPEN


def proposal_for_line(db, reference: str) -> int:
    return db.exec(select(MatchProposal.id).where(
        MatchProposal.line_id == line_of(db, reference).id)).one()


def test_rejecting_keeps_the_line_open_and_the_client_is_not_proposed_again(
        db, accountant, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number))
    proposal = proposal_for(db, invoice.number)
    proposal_reject(db, actor=accountant, proposal_id=proposal.id)
    assert proposal.status == "rejected"
    assert line_of(db, invoice.number).status == LineStatus.OPEN
    assert proposals_build(db, [proposal.line_id]) == 0
    with pytest.raises(Conflict, match="already rejected"):
        proposal_accept(db, actor=accountant, proposal_id=proposal.id)


def test_matching_by_hand_pays_the_chosen_invoices(db, accountant, customer, issued, receive):
    other = make_client(db, name="Other Client")
    wrong, right = issued("100.00"), issued("60.00", client=other)
    receive(dict(amount="100.00", reference=wrong.number, iban=IBAN))
    line = line_of(db, wrong.number)
    proposal = proposal_for(db, wrong.number)

    payment = line_match_manually(db, actor=accountant, line_id=line.id, client_id=other.id,
                                  allocations=[AllocationIn(invoice_id=right.id, amount="60.00")],
                                  today=BOOKED)

    assert (payment.client_id, allocations(db, payment)) == (other.id, {right.id: Decimal("60.00")})
    assert client_credit(db, other.id) == {"EUR": Decimal("40.00")}
    assert (line.status, line.payment_id) == (LineStatus.MATCHED, payment.id)
    db.refresh(proposal)
    assert proposal.status == "rejected"
    assert db.exec(select(ClientBankAccount.client_id)
                   .where(ClientBankAccount.iban == IBAN)).one() == other.id
    with pytest.raises(Conflict, match="already recorded"):
        line_ignore(db, actor=accountant, line_id=line.id)


def test_matching_by_hand_refuses_more_than_the_line(db, accountant, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="50.00", reference="x"))
    line = line_of(db, "x")
    with pytest.raises(ValidationFailed):
        line_match_manually(db, actor=accountant, line_id=line.id, client_id=customer.id,
                            allocations=[{"invoice_id": invoice.id, "amount": "100.00"}])


def test_ignoring_sets_the_line_aside(db, accountant, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number))
    line, proposal = line_of(db, invoice.number), proposal_for(db, invoice.number)
    line_ignore(db, actor=accountant, line_id=line.id)
    db.refresh(proposal)
    assert (line.status, proposal.status) == (LineStatus.IGNORED, "rejected")
    with pytest.raises(Conflict):
        proposal_accept(db, actor=accountant, proposal_id=proposal.id)


@pytest.mark.parametrize("decide", [
    lambda db, actor, proposal: proposal_accept(db, actor=actor, proposal_id=proposal.id),
    lambda db, actor, proposal: proposal_reject(db, actor=actor, proposal_id=proposal.id),
    lambda db, actor, proposal: proposals_accept_confident(db, actor=actor),
    lambda db, actor, proposal: line_ignore(db, actor=actor, line_id=proposal.line_id),
    lambda db, actor, proposal: line_match_manually(
        db, actor=actor, line_id=proposal.line_id, client_id=proposal.client_id, allocations=[]),
])
def test_a_viewer_cannot_decide(db, viewer, customer, issued, receive, decide):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number))
    proposal = proposal_for(db, invoice.number)
    with pytest.raises(PermissionDenied):
        decide(db, viewer, proposal)
    db.refresh(proposal)
    assert proposal.status == "proposed"
