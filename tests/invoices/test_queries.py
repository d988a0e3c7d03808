"""The invoice list and detail on PostgreSQL: filters, search, sort, paging, sums, who sees what."""

import uuid
from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.users import Role
from billing_app.queries.dashboard import own_invoices_page
from billing_app.queries.invoices import CurrencySum, invoice_detail, invoices_page
from billing_app.services.invoices import (
    invoice_cancel,
    invoice_create_draft,
    invoice_refresh_balance,
    invoices_mark_overdue,
)
from billing_app.services.invoices.sending import invoice_mark_sent
from tests.invoices.conftest import draft, line
from tests.support.factories import make_client, make_user

TODAY = date(2031, 2, 15)


@pytest.fixture
def book(db, company, accountant, issued):
    """Two clients sharing a token in their names, with invoices in every state:

    zebra_late  Zebra  2031-01-02  EUR  75.00  overdue (marked)
    quokka_late Quokka 2031-01-10  EUR 100.00  sent, due 01-24: past due, not marked yet
    zebra_usd   Zebra  2031-01-20  USD 300.00  sent, due 02-03: past due, not marked yet
    quokka_paid Quokka 2031-02-10  EUR 250.00  paid
    quokka_new  Quokka 2031-03-01  EUR  40.00  draft
    """
    token = uuid.uuid4().hex[:10]
    quokka, zebra = (make_client(db, name=f"{kind} {token} Ltd") for kind in ("Quokka", "Zebra"))
    for client in (quokka, zebra):
        client.payment_terms_days = 14
    zebra_late = issued("75.00", client=zebra, issue_date=date(2031, 1, 2))
    invoices_mark_overdue(db, today=date(2031, 1, 20))
    quokka_late = issued("100.00", client=quokka, issue_date=date(2031, 1, 10))
    zebra_usd = issued("300.00", client=zebra, issue_date=date(2031, 1, 20), currency="USD")
    for delivered in (quokka_late, zebra_usd):  # by post; quokka_paid was only issued
        invoice_mark_sent(db, actor=accountant, invoice_id=delivered.id)
    quokka_paid = issued("250.00", client=quokka, issue_date=date(2031, 2, 10))
    quokka_paid.amount_paid = D("250.00")
    invoice_refresh_balance(db, actor=accountant, invoice=quokka_paid, today=date(2031, 2, 12))
    quokka_new = invoice_create_draft(db, actor=accountant, data=draft(
        quokka, line(unit_price="40.00"), issue_date=date(2031, 3, 1)))
    db.flush()
    return SimpleNamespace(token=token, quokka=quokka, zebra=zebra, zebra_late=zebra_late,
                           quokka_late=quokka_late, zebra_usd=zebra_usd, quokka_paid=quokka_paid,
                           quokka_new=quokka_new)


def ids(page) -> list[int]:
    return [row.id for row in page.rows]


def listed(db, actor, book, **filters):
    return invoices_page(db, actor=actor, search=filters.pop("search", book.token), today=TODAY,
                         **filters)


@pytest.mark.parametrize("many_clients", [300, 0])  # few named: by the client index; many: hashed
def test_search_by_client_name_is_case_insensitive_and_sums_the_whole_set(db, viewer, book,
                                                                          monkeypatch, many_clients):
    monkeypatch.setattr("billing_app.queries.invoices.listing.MANY_CLIENTS", many_clients)
    page = listed(db, viewer, book, search=f"QUOKKA {book.token.upper()}", limit=2)

    assert ids(page) == [book.quokka_new.id, book.quokka_paid.id]  # newest first
    assert page.total_count == 3
    assert page.sums == [CurrencySum("EUR", 3, D("390.00"), D("140.00"))]
    assert page.rows[0].client_name == book.quokka.name and page.rows[0].number is None


def test_search_by_the_start_of_the_number_or_digits_in_it(db, viewer, book):
    def found(search: str) -> list[int]:
        return ids(invoices_page(db, actor=viewer, search=search, today=TODAY))

    assert book.zebra_usd.number == "INV-2031-00003"
    assert found("inv-2031-00003") == found("0003") == [book.zebra_usd.id]  # any case; digits
    assert set(found("INV-2031-0000")) == {book.zebra_late.id, book.quokka_late.id,
                                           book.zebra_usd.id, book.quokka_paid.id}
    assert found("2031-00003") == []  # letters or dashes: from the start only


def test_search_wildcards_are_plain_characters(db, viewer, book):
    assert invoices_page(db, actor=viewer, search="%", today=TODAY).total_count == 0
    assert invoices_page(db, actor=viewer, search="INV_2031", today=TODAY).total_count == 0


def test_status_filters(db, viewer, book):
    assert ids(listed(db, viewer, book, status="paid")) == [book.quokka_paid.id]
    assert set(ids(listed(db, viewer, book, status=["paid", "draft"]))) == {
        book.quokka_paid.id, book.quokka_new.id}
    overdue = [book.zebra_usd.id, book.quokka_late.id, book.zebra_late.id]
    assert ids(listed(db, viewer, book, status="overdue")) == overdue  # marked or past due
    assert ids(listed(db, viewer, book, overdue=True)) == overdue
    assert set(ids(listed(db, viewer, book, overdue=False))) == {book.quokka_paid.id,
                                                                book.quokka_new.id}
    sent = listed(db, viewer, book, status="sent")
    assert ids(sent) == [book.zebra_usd.id, book.quokka_late.id]
    assert sent.sums == [CurrencySum("EUR", 1, D("100.00"), D("100.00")),
                         CurrencySum("USD", 1, D("300.00"), D("300.00"))]


def test_client_and_date_filters(db, viewer, book):
    assert ids(listed(db, viewer, book, client_id=book.zebra.id)) == [book.zebra_usd.id,
                                                                      book.zebra_late.id]
    assert ids(listed(db, viewer, book, date_from=date(2031, 1, 10), date_to=date(2031, 2, 10))) == [
        book.quokka_paid.id, book.zebra_usd.id, book.quokka_late.id]


@pytest.mark.parametrize(("sort", "expected"), [
    ("-issue_date", ["quokka_new", "quokka_paid", "zebra_usd", "quokka_late", "zebra_late"]),
    ("issue_date", ["zebra_late", "quokka_late", "zebra_usd", "quokka_paid", "quokka_new"]),
    ("total", ["quokka_new", "zebra_late", "quokka_late", "quokka_paid", "zebra_usd"]),
    ("-total", ["zebra_usd", "quokka_paid", "quokka_late", "zebra_late", "quokka_new"]),
    ("number", ["zebra_late", "quokka_late", "zebra_usd", "quokka_paid", "quokka_new"]),
    ("-due_date", ["quokka_new", "quokka_paid", "zebra_usd", "quokka_late", "zebra_late"]),
])
def test_sorting(db, viewer, book, sort, expected):
    assert ids(listed(db, viewer, book, sort=sort)) == [getattr(book, name).id for name in expected]


def test_paging_keeps_the_count(db, viewer, book):
    first, second = (listed(db, viewer, book, limit=2, offset=offset) for offset in (0, 2))
    assert first.total_count == second.total_count == 5
    assert set(ids(first)).isdisjoint(ids(second)) and len(ids(second)) == 2
    third = listed(db, viewer, book, limit=2, offset=4, totals=False)
    assert (len(ids(third)), third.total_count, third.sums) == (1, None, [])


@pytest.mark.parametrize(("filters", "field"), [
    ({"sort": "client"}, "sort"), ({"status": "lost"}, "status"), ({"limit": 0}, "limit"),
    ({"limit": 201}, "limit"), ({"offset": -1}, "limit"),
])
def test_bad_list_requests_are_refused(db, viewer, book, filters, field):
    with pytest.raises(ValidationFailed) as failed:
        listed(db, viewer, book, **filters)
    assert failed.value.field == field


def test_detail_has_lines_history_and_client(db, viewer, accountant, book):
    detail = invoice_detail(db, actor=viewer, invoice_id=book.quokka_paid.id)

    assert detail.client_name == book.quokka.name
    assert detail.invoice.number == book.quokka_paid.number
    assert [(d.line.description, d.gross, d.net) for d in detail.lines] == [
        ("Consulting", D("250.00"), D("250.00"))]
    assert [(h.from_status, h.to_status, h.changed_by) for h in detail.history] == [
        (None, "draft", accountant.name), ("draft", "issued", accountant.name),
        ("issued", "paid", accountant.name)]
    assert detail.totals.total == detail.invoice.total


def test_client_users_see_only_their_own_issued_invoices(db, book):
    reader = make_user(db, Role.CLIENT, client_id=book.quokka.id)

    detail = invoice_detail(db, actor=reader, invoice_id=book.quokka_paid.id)
    assert detail.invoice.id == book.quokka_paid.id
    assert {h.changed_by for h in detail.history} == {None}  # staff names stay inside
    for hidden in (book.quokka_new, book.zebra_usd):  # own draft, another client's invoice
        with pytest.raises(NotFound):
            invoice_detail(db, actor=reader, invoice_id=hidden.id)
    listed = invoices_page(db, actor=reader, client_id=book.zebra_usd.client_id, limit=200)
    assert book.quokka_paid.id in ids(listed)
    assert not {book.quokka_new.id, book.zebra_usd.id} & set(ids(listed))
    assert all(row.status != "draft" for row in listed.rows)


def test_client_users_never_see_a_draft_discarded_before_it_was_issued(db, book, accountant):
    """A discarded draft is cancelled but was never issued: it has no number, and its lines and
    notes are the company's own business."""
    discarded = invoice_cancel(db, actor=accountant, invoice_id=book.quokka_new.id,
                               reason="Written by mistake", today=TODAY)
    assert discarded.status == "cancelled" and discarded.number is None
    reader = make_user(db, Role.CLIENT, client_id=book.quokka.id)

    with pytest.raises(NotFound):
        invoice_detail(db, actor=reader, invoice_id=discarded.id)
    for status in ("cancelled", None):
        listed = invoices_page(db, actor=reader, status=status, limit=200)
        assert discarded.id not in ids(listed)
    rows, total = own_invoices_page(db, actor=reader, limit=200)
    assert discarded.id not in {row.id for row in rows} and total == len(rows)
    assert invoice_detail(db, actor=accountant, invoice_id=discarded.id).invoice.id == discarded.id


def test_quotes_and_backslashes_in_a_search_are_plain_text(db, viewer, company, issued):
    client = make_client(db, name="O'Brien \\ Söhne_100% GmbH")
    invoice = issued(client=client)

    assert ids(invoices_page(db, actor=viewer, search="o'brien \\ söhne_100%")) == [invoice.id]
    assert invoices_page(db, actor=viewer, search="o'brien \\\\").total_count == 0


@pytest.mark.parametrize("small_set", [0, 5000])  # sorted from all matches, or by the planner
@pytest.mark.parametrize("totals", [True, False])
def test_a_search_gives_the_same_page_whichever_way_it_is_sorted(db, viewer, book, monkeypatch,
                                                                 small_set, totals):
    sorts = {sort: listed(db, viewer, book, sort=sort).rows for sort in ("-issue_date", "total")}
    assert [row.id for row in sorts["total"]][:2] == [book.quokka_new.id, book.zebra_late.id]
    monkeypatch.setattr("billing_app.queries.invoices.listing.SMALL_SET", small_set)
    for (sort, rows), offset in zip(sorts.items(), (0, 2)):
        page = listed(db, viewer, book, sort=sort, offset=offset, limit=2, totals=totals)
        assert page.rows == rows[offset:offset + 2]
    assert listed(db, viewer, book, offset=10, totals=totals).rows == []  # past the end
