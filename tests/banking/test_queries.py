"""The statement list, the review queue, a line's detail and the saved CSV mappings."""

from decimal import Decimal

import pytest

from billing_app.errors import NotFound, PermissionDenied, ValidationFailed
from billing_app.queries.banking import csv_profiles, line_detail, review_queue, statements_page
from billing_app.services.banking import line_ignore, proposal_accept, proposal_reject
from tests.banking.conftest import BOOKED, line_of, proposal_for


@pytest.fixture
def imported(db, customer, issued, receive):
    """One statement: a sure match, a weaker one, an unmatched line and a set-aside one."""
    sure, partly = issued("100.00"), issued("300.00")
    result = receive(dict(amount="100.00", reference=sure.number),
                     dict(amount="120.00", reference=f"part {partly.number}"),
                     dict(amount="7.00", reference="who knows"),
                     dict(amount="-3.00", reference="fee"))
    return result.statement_ids[0], sure, partly


def test_statements_page_counts_the_lines_by_status(db, accountant, imported):
    statement_id, sure, _ = imported
    proposal_accept(db, actor=accountant, proposal_id=proposal_for(db, sure.number).id,
                    today=BOOKED)
    page = statements_page(db, actor=accountant, offset=0, limit=10)
    row = next(row for row in page.rows if row.id == statement_id)
    assert (row.file_name, row.source, row.line_count, row.new_line_count, row.open_count,
            row.matched_count, row.ignored_count) == ("received.csv", "csv", 4, 4, 2, 1, 1)
    assert row.imported_by == accountant.name
    assert page.rows[0].id == statement_id  # newest first


def test_review_queue_lists_open_payments_most_confident_first(db, accountant, customer,
                                                               imported):
    statement_id, sure, partly = imported
    page = review_queue(db, actor=accountant, statement_id=statement_id, offset=0, limit=10)
    assert page.total_count == 3
    assert [item.reference for item in page.rows] == [sure.number, f"part {partly.number}",
                                                      "who knows"]
    first = page.rows[0]
    assert (first.amount, first.currency, first.proposal.client_name,
            first.proposal.confidence, first.proposal.credit) == (
        Decimal("100.00"), "EUR", customer.name, 80, Decimal("0.00"))
    assert [(i.number, i.balance_due, i.amount) for i in first.proposal.invoices] == [
        (sure.number, Decimal("100.00"), Decimal("100.00"))]
    assert first.proposal.evidence[0] == (
        f"Invoice number {sure.number} is in the payment reference.")
    assert page.rows[2].proposal is None


def test_review_queue_filters_by_confidence(db, accountant, imported):
    statement_id, sure, partly = imported

    def references(**bounds):
        page = review_queue(db, actor=accountant, statement_id=statement_id, **bounds)
        return [item.reference for item in page.rows]

    assert references(min_confidence=80) == [sure.number]
    assert references(min_confidence=1, max_confidence=79) == [f"part {partly.number}"]
    assert references(max_confidence=0) == ["who knows"]


def test_decided_lines_leave_the_queue(db, accountant, imported):
    statement_id, sure, partly = imported
    proposal_reject(db, actor=accountant, proposal_id=proposal_for(db, sure.number).id)
    line_ignore(db, actor=accountant, line_id=line_of(db, "who knows").id)
    page = review_queue(db, actor=accountant, statement_id=statement_id)
    assert [(item.reference, item.proposal is None) for item in page.rows] == [
        (f"part {partly.number}", False), (sure.number, True)]


def test_line_detail_shows_every_proposal_and_its_decision(db, accountant, imported):
    _, sure, _ = imported
    proposal = proposal_for(db, sure.number)
    proposal_reject(db, actor=accountant, proposal_id=proposal.id)
    detail = line_detail(db, actor=accountant, line_id=proposal.line_id)
    assert detail.file_name == "received.csv" and detail.line.reference == sure.number
    assert [(p.status, p.decided_by) for p in detail.proposals] == [("rejected", accountant.name)]
    with pytest.raises(NotFound):
        line_detail(db, actor=accountant, line_id=10**9)


def test_viewers_read_and_client_accounts_do_not(db, viewer, client_user, imported):
    statement_id = imported[0]
    line_id = line_of(db, "who knows").id
    assert review_queue(db, actor=viewer).total_count >= 3
    assert statements_page(db, actor=viewer).total_count >= 1
    assert line_detail(db, actor=viewer, line_id=line_id).line.id == line_id
    assert csv_profiles(db, actor=viewer) == []
    for read in (lambda: review_queue(db, actor=client_user, statement_id=statement_id),
                 lambda: statements_page(db, actor=client_user),
                 lambda: line_detail(db, actor=client_user, line_id=line_id),
                 lambda: csv_profiles(db, actor=client_user)):
        with pytest.raises(PermissionDenied):
            read()


def test_page_sizes_are_bounded(db, accountant):
    with pytest.raises(ValidationFailed):
        review_queue(db, actor=accountant, limit=1000)
    with pytest.raises(ValidationFailed):
        statements_page(db, actor=accountant, offset=-1)
