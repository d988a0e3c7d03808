"""RF creditor references, names that resemble a client's, and the balances that waiting
proposals hold, as the matcher weighs them (on PostgreSQL)."""

from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.domain.creditor_reference import creditor_reference, grouped
from billing_app.models import MatchProposalInvoice
from billing_app.models.banking import MatchProposal, ProposalStatus
from billing_app.services.banking import proposal_reject, proposals_build, statement_import
from tests.banking.conftest import BOOKED, line_of, proposal_for, proposed_amounts
from tests.support.camt import Entry, camt053
from tests.support.factories import make_client


def _typo(reference: str) -> str:
    """The reference with its last digit mistyped: the check digits no longer fit."""
    last = reference[-1]
    return reference[:-1] + str((int(last) + 1) % 10)


def test_an_rf_reference_in_the_text_is_the_strongest_evidence(db, customer, issued, receive):
    invoice, other = issued("100.00"), issued("300.00", client=make_client(db, name="Bolt AG"))
    rf = grouped(creditor_reference(invoice.number)).lower()
    # a part payment, the RF reference of one client's invoice and the number of another's
    receive(dict(amount="40.00", reference=f"{rf} and {other.number}"))
    proposal = proposal_for(db, f"{rf} and {other.number}")
    assert proposal.client_id == customer.id
    assert proposal.confidence == 100
    assert proposal.evidence[0] == (f"{invoice.number}'s RF creditor reference, "
                                    f"{rf.upper()}, is in the payment, with the right check "
                                    "digits.")
    assert proposed_amounts(db, proposal) == {invoice.id: "40.00"}


def test_the_structured_creditor_reference_of_a_camt_file_is_read(db, customer, issued,
                                                                   accountant):
    invoice = issued("100.00")
    result = statement_import(db, actor=accountant, file_name="rf.xml", data=camt053(Entry(
        amount="100.00", booked=BOOKED, name="Someone Else", reference="Thank you",
        creditor_reference=creditor_reference(invoice.number))))
    assert result.proposals == 1
    proposal = proposal_for(db, "Thank you")
    assert proposal.client_id == customer.id and proposal.confidence == 100
    assert proposed_amounts(db, proposal) == {invoice.id: "100.00"}


def test_an_rf_reference_with_a_typo_matches_no_invoice(db, customer, issued, receive):
    invoice = issued("100.00")
    typo = _typo(creditor_reference(invoice.number))
    receive(dict(amount="100.00", reference=f"Payment {grouped(typo)}"),
            dict(amount="100.00", reference=f"Again {typo}", name=customer.name.upper()))
    # nothing else points to a client: no proposal, though the reference holds the number
    assert proposal_for(db, f"Payment {grouped(typo)}") is None
    # the payer's name does: the proposal stands on the name and the amount alone
    proposal = proposal_for(db, f"Again {typo}")
    assert proposal.client_id == customer.id
    assert proposal.confidence == 45  # name + amount, nothing for the reference
    assert proposal.evidence[0] == (f"The RF reference {grouped(typo)} has wrong check digits "
                                    "(a typo?), so it was matched to no invoice.")
    assert not any("is in the payment" in sentence for sentence in proposal.evidence)


def test_a_resembling_name_counts_with_its_score(db, issued, receive):
    cedar = make_client(db, name="Cedar Print GmbH")
    invoice = issued("250.00", client=cedar)
    receive(dict(amount="250.00", reference="Rechnung", name="Cedar Prnt GmbH"))
    proposal = proposal_for(db, "Rechnung")
    assert proposal.client_id == cedar.id
    assert proposal.confidence == 40  # resembling name + amount: less than a name (45)
    assert proposal.evidence[0] == ("The payer's name 'Cedar Prnt GmbH' resembles the client's "
                                    "name 'Cedar Print GmbH' (95%).")
    assert proposed_amounts(db, proposal) == {invoice.id: "250.00"}


def test_a_name_resembling_two_clients_as_much_says_nothing(db, issued, receive):
    for name in ("Cedar Print GmbH", "Cedar Paint GmbH"):
        issued("250.00", client=make_client(db, name=name))
    receive(dict(amount="250.00", reference="Rechnung", name="Cedar Pint"))
    assert proposal_for(db, "Rechnung") is None


def test_a_resembling_name_never_outranks_an_invoice_number(db, customer, issued, receive):
    cedar = make_client(db, name="Cedar Print GmbH")
    cedars = issued("250.00", client=cedar, due_date=BOOKED)  # its amount, due that day
    named = issued("900.00")
    receive(dict(amount="250.00", reference=f"for {named.number}", name="Cedar Prnt GmbH"))
    proposal = proposal_for(db, f"for {named.number}")
    assert proposal.client_id == customer.id and proposal.confidence == 50
    assert proposed_amounts(db, proposal) == {named.id: "250.00"}
    assert cedars.balance_due == Decimal("250.00")


def _waiting_total(db, invoice) -> Decimal:
    return db.exec(select(func.sum(MatchProposalInvoice.amount))
                   .join(MatchProposal, MatchProposal.id == MatchProposalInvoice.proposal_id)
                   .where(MatchProposalInvoice.invoice_id == invoice.id,
                          MatchProposal.status == ProposalStatus.PROPOSED)).one()


def test_waiting_proposals_hold_the_balance_until_rejected(db, customer, issued, receive,
                                                           accountant):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=f"{invoice.number} paid"), file_name="monday.csv")
    receive(dict(amount="100.00", reference=f"{invoice.number} paid too"),
            file_name="tuesday.csv")
    first = proposal_for(db, f"{invoice.number} paid")
    second = proposal_for(db, f"{invoice.number} paid too")
    assert proposed_amounts(db, first) == {invoice.id: "100.00"}
    assert proposed_amounts(db, second) == {}  # not the same €100.00 twice
    assert second.confidence == 50 < first.confidence
    assert (f"All of {invoice.number}'s balance, €100.00, is already proposed for other "
            "payments waiting for a decision.") in second.evidence
    assert _waiting_total(db, invoice) == Decimal("100.00")

    proposal_reject(db, actor=accountant, proposal_id=first.id)
    proposals_build(db, [line_of(db, f"{invoice.number} paid too").id])
    again = proposal_for(db, f"{invoice.number} paid too")
    assert proposed_amounts(db, again) == {invoice.id: "100.00"}
    assert again.confidence == 80


def test_a_new_proposal_is_made_against_what_is_left(db, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="60.00", reference=f"{invoice.number} part"), file_name="monday.csv")
    receive(dict(amount="40.00", reference=f"{invoice.number} rest"), file_name="tuesday.csv")
    rest = proposal_for(db, f"{invoice.number} rest")
    assert proposed_amounts(db, rest) == {invoice.id: "40.00"}
    assert rest.confidence == 80  # the amount is what is left
    assert (f"€60.00 of {invoice.number}'s balance is already proposed for other payments "
            "waiting for a decision; €40.00 is left.") in rest.evidence
    assert _waiting_total(db, invoice) == Decimal("100.00")


@pytest.mark.parametrize("mark", [{"reversal": True}, {"returned": True},
                                  {"bank_charge": True}, {"entry_status": "FUTR"}])
def test_only_ordinary_money_received_is_proposed(db, customer, issued, receive, mark):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number))
    line = line_of(db, invoice.number)
    for name, value in mark.items():
        setattr(line, name, value)
    db.add(line)
    assert proposals_build(db, [line.id]) == 0
    assert proposal_for(db, invoice.number) is None
