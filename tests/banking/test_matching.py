"""What the matcher proposes for each kind of evidence, and how sure it is."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import select

from billing_app.models import MatchProposal, MatchProposalInvoice
from billing_app.services.banking import HIGH, proposals_build
from tests.banking.conftest import BOOKED, know_account, line_of, proposal_for, proposed_amounts
from tests.support.factories import make_client

IBAN_A, IBAN_B = "DE89370400440532013000", "NL91ABNA0417164300"


def test_confidence_ranks_the_evidence(db, issued, receive):
    """number + amount + known account > number only > name + amount > known account only."""
    acme, bolt, cobalt, delta = (make_client(db, name=name) for name in (
        "Acme GmbH", "Bolt Industries", "Cobalt Trading Ltd", "Delta Werke AG"))
    know_account(db, acme, IBAN_A)
    know_account(db, delta, IBAN_B)
    a, b = issued("100.00", client=acme), issued("200.00", client=bolt)
    c, d = issued("300.00", client=cobalt), issued("400.00", client=delta)
    receive(dict(amount="100.00", reference=f"Invoice {a.number}", iban=IBAN_A),
            dict(amount="150.00", reference=f"part of {b.number}"),
            dict(amount="300.00", reference="our order", name="COBALT TRADING LIMITED"),
            dict(amount="99.00", reference="monthly", iban=IBAN_B))

    found = [proposal_for(db, reference) for reference in (
        f"Invoice {a.number}", f"part of {b.number}", "our order", "monthly")]
    assert [p.client_id for p in found] == [acme.id, bolt.id, cobalt.id, delta.id]
    confidences = [p.confidence for p in found]
    assert confidences == sorted(confidences, reverse=True) and len(set(confidences)) == 4
    assert confidences[0] == 100 and confidences[0] >= HIGH > confidences[1]
    assert found[0].evidence == [
        f"Invoice number {a.number} is in the payment reference.",
        f"The payer's account {IBAN_A} has paid Acme GmbH before.",
        f"The amount, €100.00, is the balance of {a.number}.",
    ]
    assert proposed_amounts(db, found[1]) == {b.id: "150.00"}
    assert f"{b.number} stays partly open: €50.00 of its €200.00 is left to pay." in (
        found[1].evidence)
    assert proposed_amounts(db, found[2]) == {c.id: "300.00"}
    assert ("The payer's name, COBALT TRADING LIMITED, is the client's name, "
            "Cobalt Trading Ltd.") in found[2].evidence
    assert proposed_amounts(db, found[3]) == {d.id: "99.00"}


def test_a_line_naming_several_invoices_pays_them_all(db, customer, issued, receive):
    first, second, _other = issued("100.00"), issued("50.00"), issued("70.00")
    reference = f"{first.number.replace('-', ' ')} + {second.number.lower()}"
    receive(dict(amount="150.00", reference=reference))
    proposal = proposal_for(db, reference)
    assert proposed_amounts(db, proposal) == {first.id: "100.00", second.id: "50.00"}
    assert proposal.confidence == 80
    assert (f"The amount, €150.00, is the sum of the balances of {first.number} and "
            f"{second.number}.") in proposal.evidence


def test_an_amount_equal_to_all_open_invoices_of_a_known_payer_pays_them_all(
        db, customer, issued, receive):
    know_account(db, customer, IBAN_A)
    invoices = [issued("100.00"), issued("20.00"), issued("30.00")]
    receive(dict(amount="150.00", reference="settling up", iban=IBAN_A))
    proposal = proposal_for(db, "settling up")
    assert proposed_amounts(db, proposal) == {
        invoices[0].id: "100.00", invoices[1].id: "20.00", invoices[2].id: "30.00"}
    assert proposal.confidence == 60
    assert (f"The amount, €150.00, is the sum of all 3 open invoices of {customer.name}."
            in proposal.evidence)


def test_several_lines_paying_one_invoice_each_get_their_part(db, customer, issued, receive):
    invoice = issued("100.00")
    day = invoice.due_date + timedelta(days=30)
    receive(dict(amount="60.00", reference=f"{invoice.number} first half", date=day),
            dict(amount="40.00", reference=f"{invoice.number} rest", date=day + timedelta(1)))
    first = proposal_for(db, f"{invoice.number} first half")
    rest = proposal_for(db, f"{invoice.number} rest")
    assert proposed_amounts(db, first) == {invoice.id: "60.00"}
    assert proposed_amounts(db, rest) == {invoice.id: "40.00"}
    assert first.confidence == rest.confidence == 80
    assert (f"With 1 other line of this import naming {invoice.number}, the payments add up "
            "to its balance of €100.00.") in rest.evidence


def test_lines_never_put_more_on_an_invoice_than_its_balance(db, customer, issued, receive):
    invoice = issued("100.00")
    day = invoice.due_date + timedelta(days=30)
    receive(*(dict(amount="60.00", reference=f"{invoice.number} #{n}",
                   date=day + timedelta(days=n)) for n in (1, 2, 3)))
    proposals = [proposal_for(db, f"{invoice.number} #{n}") for n in (1, 2, 3)]
    assert [proposed_amounts(db, p) for p in proposals] == [
        {invoice.id: "60.00"}, {invoice.id: "40.00"}, {}]
    total = db.exec(select(func.sum(MatchProposalInvoice.amount))
                    .where(MatchProposalInvoice.invoice_id == invoice.id)).one()
    assert total == invoice.balance_due
    assert (f"Earlier lines of this import pay part of {invoice.number}; €40.00 of this "
            "payment goes to it.") in proposals[1].evidence
    assert f"{invoice.number} is already paid by earlier lines of this import." in (
        proposals[2].evidence)
    assert "Nothing is left to pay" in proposals[2].evidence[-1]


def test_a_second_payment_of_the_full_balance_loses_the_amount_evidence(
        db, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=f"{invoice.number} paid"),
            dict(amount="100.00", reference=f"{invoice.number} paid again",
                 date=BOOKED + timedelta(days=1)))
    first = proposal_for(db, f"{invoice.number} paid")
    again = proposal_for(db, f"{invoice.number} paid again")
    assert (first.confidence, again.confidence) == (80, 50)  # the duplicate is not accepted in bulk
    assert proposed_amounts(db, again) == {}


def test_a_known_payer_without_invoice_evidence_pays_the_oldest_due_first(
        db, customer, issued, receive):
    know_account(db, customer, IBAN_A)
    later = issued("100.00")
    older = issued("100.00", issue_date=later.issue_date - timedelta(days=20))
    receive(dict(amount="130.00", reference="thanks", iban=IBAN_A),
            dict(amount="50.00", reference="more", iban=IBAN_A, date=BOOKED + timedelta(days=1)))
    first, second = proposal_for(db, "thanks"), proposal_for(db, "more")
    assert proposed_amounts(db, first) == {older.id: "100.00", later.id: "30.00"}
    # the next payment of the same client goes to what the first one left
    assert proposed_amounts(db, second) == {later.id: "50.00"}
    assert first.confidence == 30
    assert any("the oldest due first" in sentence for sentence in first.evidence)


def test_a_close_amount_is_medium_evidence(db, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="99.50", reference=f"{invoice.number} minus fees"))
    proposal = proposal_for(db, f"{invoice.number} minus fees")
    assert proposal.confidence == 65
    assert proposed_amounts(db, proposal) == {invoice.id: "99.50"}
    assert (f"The amount, €99.50, is €0.50 less than the balance of {invoice.number} "
            "(€100.00), as when bank charges are deducted.") in proposal.evidence


def test_booking_near_the_due_date_adds_a_little(db, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number,
                 date=invoice.due_date + timedelta(days=3)))
    proposal = proposal_for(db, invoice.number)
    assert proposal.confidence == 85
    assert f"It was booked 3 days after {invoice.number} was due." in proposal.evidence


def test_more_than_the_invoice_is_kept_as_client_credit(db, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="120.00", reference=invoice.number))
    proposal = proposal_for(db, invoice.number)
    assert proposed_amounts(db, proposal) == {invoice.id: "100.00"}
    assert proposal.evidence[-1] == ("€20.00 more than the invoices; it will be kept as "
                                     "client credit.")


def test_a_line_in_another_currency_is_not_matched(db, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number, currency="USD"))
    assert proposal_for(db, invoice.number) is None


def test_a_line_pointing_to_no_client_gets_no_proposal(db, customer, issued, receive):
    issued("100.00")
    receive(dict(amount="100.00", reference="INV-1999-99999 from someone", name="Nobody Known"))
    assert proposal_for(db, "INV-1999-99999 from someone") is None


def test_building_again_replaces_the_waiting_proposal(db, customer, issued, receive):
    invoice = issued("100.00")
    receive(dict(amount="100.00", reference=invoice.number))
    line = line_of(db, invoice.number)
    assert proposals_build(db, [line.id]) == 1
    proposals = db.exec(select(MatchProposal).where(MatchProposal.line_id == line.id)).all()
    assert len(proposals) == 1 and proposals[0].confidence == 80
    assert proposed_amounts(db, proposals[0]) == {invoice.id: "100.00"}
    assert invoice.balance_due == Decimal("100.00")
