"""The client list, detail, figures, invoice history and pickers, on PostgreSQL."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from billing_app.errors import NotFound, PermissionDenied, ValidationFailed
from billing_app.models.invoices import InvoiceStatus as S
from billing_app.queries.clients import (
    client_choices,
    client_detail,
    client_figures,
    client_invoices_page,
    client_outstanding,
    clients_page,
)
from billing_app.services.clients import client_archive, client_create
from tests.clients.conftest import TODAY, utc

PAST, FUTURE = TODAY - timedelta(days=10), TODAY + timedelta(days=10)


@pytest.fixture
def listed(db, accountant, add_invoice, tag):
    """Four clients sharing `tag`; Charlie is archived. Balances in EUR:
    Alpha 600.00 open of which 300.00 overdue, bravo 75.00 open, Delta none.
    """
    def create(name, **data):
        return client_create(db, actor=accountant, data={"name": f"{name} {tag}", **data},
                             contacts=data.pop("contacts", ()))

    alpha = create("Alpha", email=f"ap-{tag}@alpha.example", tax_id=f"DE{tag}")
    bravo = client_create(db, actor=accountant, data={"name": f"bravo {tag}", "kind": "individual"},
                          contacts=[{"name": "Zed", "email": f"zed.{tag}@partner.example"}])
    charlie = create("Charlie")
    delta = create("Delta")
    for n, client in enumerate((alpha, bravo, charlie, delta)):
        client.created_at = utc(2099, 1, 1 + n)  # the newest clients of the database
    add_invoice(alpha, S.SENT, "300.00", due=PAST)
    add_invoice(alpha, S.PARTIALLY_PAID, "500.00", paid="200.00", due=FUTURE)
    add_invoice(alpha, S.PAID, "999.00", paid="999.00", due=PAST)
    add_invoice(alpha, S.DRAFT, "111.00", due=PAST)
    add_invoice(bravo, S.SENT, "50.00", due=FUTURE)
    add_invoice(bravo, S.SENT, "25.00", due=TODAY)  # due today is not overdue yet
    add_invoice(bravo, S.OVERDUE, "1000.00", due=PAST, currency="USD")  # not in bravo's EUR
    add_invoice(charlie, S.OVERDUE, "70.00", due=PAST)
    client_archive(db, actor=accountant, client_id=charlie.id)
    return SimpleNamespace(alpha=alpha, bravo=bravo, charlie=charlie, delta=delta)


def names(rows) -> list[str]:
    return [row.name.split()[0] for row in rows]


def page(db, actor, tag, **kw):
    return clients_page(db, actor=actor, search=tag, today=TODAY, **kw)


def test_the_default_list_shows_active_clients_by_name_with_balances(db, viewer, listed, tag):
    rows, total = page(db, viewer, tag)

    assert (names(rows), total) == (["Alpha", "bravo", "Delta"], 3)
    alpha = rows[0]
    assert (alpha.id, alpha.kind, alpha.currency, alpha.is_archived) == (listed.alpha.id, "company", "EUR", False)
    assert (alpha.outstanding, alpha.overdue) == (Decimal("600.00"), Decimal("300.00"))
    assert (rows[1].outstanding, rows[1].overdue) == (Decimal("75.00"), Decimal("0"))
    assert (rows[2].outstanding, rows[2].overdue) == (0, 0)


def test_without_a_search_the_page_is_chosen_first_then_its_balances(db, viewer, listed):
    rows, total = clients_page(db, actor=viewer, sort="-created", limit=3, today=TODAY)
    rest, total_again = clients_page(db, actor=viewer, sort="-created", offset=2, limit=1,
                                     today=TODAY)

    assert names(rows) == ["Delta", "bravo", "Alpha"]
    assert [(row.outstanding, row.overdue) for row in rows] == [
        (0, 0), (Decimal("75.00"), 0), (Decimal("600.00"), Decimal("300.00"))]
    assert total == total_again >= 3
    assert rest == rows[2:]


@pytest.mark.parametrize(("archived", "expected"), [
    (False, ["Alpha", "bravo", "Delta"]), (True, ["Charlie"]),
    (None, ["Alpha", "bravo", "Charlie", "Delta"]),
])
def test_archived_filter(db, viewer, listed, tag, archived, expected):
    rows, total = page(db, viewer, tag, archived=archived)

    assert (names(rows), total) == (expected, len(expected))


@pytest.mark.parametrize(("search", "expected"), [
    ("ALPHA", ["Alpha"]),            # name, any case
    ("@alpha.EXAMPLE", ["Alpha"]),   # email
    ("de{tag}", ["Alpha"]),          # tax id
    ("zed.{tag}", ["bravo"]),        # a contact's email
    ("nothing-like-this-{tag}", []),
])
def test_search(db, viewer, listed, tag, search, expected):
    rows, total = clients_page(db, actor=viewer, search=search.format(tag=tag), today=TODAY)

    assert [row.id for row in rows] == [getattr(listed, n.lower()).id for n in expected]
    assert total == len(expected)


def test_search_wildcards_are_taken_literally(db, accountant, viewer, tag):
    percent = client_create(db, actor=accountant, data={"name": f"100% Organic {tag}"})
    digits = client_create(db, actor=accountant, data={"name": f"1000 Organic {tag}"})

    ids = [row.id for row in clients_page(db, actor=viewer, search="100%", limit=200)[0]]

    assert percent.id in ids and digits.id not in ids


@pytest.mark.parametrize(("sort", "expected"), [
    ("name", ["Alpha", "bravo", "Delta"]),
    ("-name", ["Delta", "bravo", "Alpha"]),
    ("outstanding", ["Delta", "bravo", "Alpha"]),
    ("-outstanding", ["Alpha", "bravo", "Delta"]),
    ("created", ["Alpha", "bravo", "Delta"]),
    ("-created", ["Delta", "bravo", "Alpha"]),
])
def test_sorting(db, viewer, listed, tag, sort, expected):
    assert names(page(db, viewer, tag, sort=sort)[0]) == expected


@pytest.mark.parametrize(("has_overdue", "archived", "expected"), [
    (True, False, ["Alpha"]), (False, False, ["bravo", "Delta"]),
    (True, None, ["Alpha", "Charlie"]),
])
def test_has_overdue(db, viewer, listed, tag, has_overdue, archived, expected):
    rows, total = page(db, viewer, tag, has_overdue=has_overdue, archived=archived)

    assert (names(rows), total) == (expected, len(expected))


def test_kind_filter(db, viewer, listed, tag):
    assert names(page(db, viewer, tag, kind="individual")[0]) == ["bravo"]


@pytest.mark.parametrize("sort", ["name", "-outstanding"])
def test_paging_counts_every_match(db, viewer, listed, tag, sort):
    first, total = page(db, viewer, tag, sort=sort, limit=2)
    second, again = page(db, viewer, tag, sort=sort, offset=2, limit=2)
    beyond, past_end = page(db, viewer, tag, sort=sort, offset=10, limit=2)

    assert (len(first), len(second), beyond) == (2, 1, [])
    assert total == again == past_end == 3
    assert {r.id for r in first} | {r.id for r in second} == {
        listed.alpha.id, listed.bravo.id, listed.delta.id}


@pytest.mark.parametrize("bad", [dict(sort="colour"), dict(kind="robot"), dict(limit=0),
                                 dict(limit=10_000), dict(offset=-1)])
def test_bad_list_arguments_are_refused(db, viewer, bad):
    with pytest.raises(ValidationFailed):
        clients_page(db, actor=viewer, **bad)


def test_figures_are_exact_to_the_cent(db, accountant, add_invoice):
    client = client_create(db, actor=accountant, data={"name": "Figures", "credit_limit": "5000.00"})
    add_invoice(client, S.PAID, "1190.00", paid="1190.00", issue=date(2026, 1, 10),
                due=date(2026, 2, 9), paid_at=utc(2026, 2, 1, 10))              # 22 days
    add_invoice(client, S.PAID, "595.50", paid="595.50", issue=date(2026, 3, 1),
                due=date(2026, 3, 31), paid_at=utc(2026, 3, 31, 23, 30))        # 30 days (UTC)
    add_invoice(client, S.PARTIALLY_PAID, "2380.00", paid="1000.00", issue=date(2026, 5, 1),
                due=date(2026, 5, 31))                                          # overdue
    add_invoice(client, S.SENT, "833.33", issue=date(2026, 6, 15), due=date(2026, 7, 15))
    add_invoice(client, S.OVERDUE, "119.01", issue=date(2026, 4, 1), due=date(2026, 4, 15))
    add_invoice(client, S.SENT, "10.00", issue=date(2026, 6, 1), due=TODAY)     # due today: not late
    add_invoice(client, S.DRAFT, "9999.99", due=date(2026, 6, 1))
    add_invoice(client, S.CANCELLED, "500.00", balance="0", due=date(2026, 6, 1))
    add_invoice(client, S.SENT, "777.77", due=date(2026, 6, 1), currency="USD")

    figures = client_figures(db, client.id, today=TODAY)

    assert figures.currency == "EUR"
    assert figures.total_invoiced == Decimal("5127.84")
    assert figures.paid == Decimal("2785.50")
    assert figures.outstanding == Decimal("2342.34")
    assert figures.overdue == Decimal("1499.01")
    assert figures.credit_available == Decimal("2657.66")
    assert figures.average_days_to_pay == Decimal("26.0")
    assert client_outstanding(db, client.id) == {"EUR": Decimal("2342.34"), "USD": Decimal("777.77")}


def test_figures_of_a_new_client(db, accountant):
    client = client_create(db, actor=accountant, data={"name": "New"})

    figures = client_figures(db, client.id, today=TODAY)

    assert (figures.total_invoiced, figures.paid, figures.outstanding, figures.overdue) == (0, 0, 0, 0)
    assert figures.credit_available is None and figures.average_days_to_pay is None
    assert client_outstanding(db, client.id) == {}


def test_credit_available_goes_negative_over_the_limit(db, accountant, add_invoice):
    client = client_create(db, actor=accountant, data={"name": "Over", "credit_limit": "100"})
    add_invoice(client, S.SENT, "150.25", due=FUTURE)

    assert client_figures(db, client.id, today=TODAY).credit_available == Decimal("-50.25")


def test_detail_lists_primary_contact_first_and_billing_first(db, accountant, viewer, listed):
    client = client_create(
        db, actor=accountant, data={"name": "Detailed"},
        contacts=[{"name": "Aaron"}, {"name": "Zoe", "is_primary": True}, {"name": "Mia"}],
        addresses=[{"kind": "shipping", "line1": "Dock 1", "country": "NL"},
                   {"kind": "billing", "line1": "Main 2", "country": "BE"}],
    )

    detail = client_detail(db, actor=viewer, client_id=client.id, today=TODAY)

    assert detail.client.name == "Detailed"
    assert [c.name for c in detail.contacts] == ["Zoe", "Aaron", "Mia"]
    assert [a.kind for a in detail.addresses] == ["billing", "shipping"]
    assert detail.figures.outstanding == 0
    archived = client_detail(db, actor=viewer, client_id=listed.charlie.id, today=TODAY)
    assert archived.client.is_archived and archived.figures.overdue == Decimal("70.00")
    with pytest.raises(NotFound):
        client_detail(db, actor=viewer, client_id=10**9)


def test_invoice_history_is_newest_first_with_drafts(db, viewer, accountant, add_invoice):
    client = client_create(db, actor=accountant, data={"name": "History"})
    old = add_invoice(client, S.PAID, "10.00", paid="10.00", issue=date(2026, 1, 5))
    draft = add_invoice(client, S.DRAFT, "30.00", issue=date(2026, 6, 1))
    mid = add_invoice(client, S.SENT, "20.00", issue=date(2026, 3, 5), due=date(2026, 4, 4))
    client_archive(db, actor=accountant, client_id=client.id)  # history stays readable

    first = client_invoices_page(db, actor=viewer, client_id=client.id, offset=0, limit=2)
    rest = client_invoices_page(db, actor=viewer, client_id=client.id, offset=2, limit=2)

    assert first.total_count == 3
    assert [r.id for r in first.rows + rest.rows] == [draft.id, mid.id, old.id]
    assert (first.rows[0].number, first.rows[0].status) == (None, "draft")
    mid_row = first.rows[1]
    assert (mid_row.number, mid_row.total, mid_row.balance_due) == (mid.number, Decimal("20.00"), Decimal("20.00"))
    assert mid_row.due_date == date(2026, 4, 4)
    with pytest.raises(NotFound):
        client_invoices_page(db, actor=viewer, client_id=10**9)


def test_choices_are_active_clients_whose_name_matches(db, viewer, listed, tag):
    choices = client_choices(db, actor=viewer, search=tag)

    assert choices == [(listed.alpha.id, f"Alpha {tag}"), (listed.bravo.id, f"bravo {tag}"),
                       (listed.delta.id, f"Delta {tag}")]
    assert len(client_choices(db, actor=viewer, search=tag, limit=2)) == 2


def test_client_users_cannot_read_clients(db, client_user, listed):
    for attempt in (
        lambda: clients_page(db, actor=client_user),
        lambda: client_detail(db, actor=client_user, client_id=client_user.client_id),
        lambda: client_invoices_page(db, actor=client_user, client_id=client_user.client_id),
        lambda: client_choices(db, actor=client_user),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
