"""The aging report against a plain computation, to the cent, on back-dated days."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from billing_app.errors import PermissionDenied, ValidationFailed
from billing_app.reports.aging import AgingOptions, aging_invoices, aging_report
from tests.reports.conftest import TODAY
from tests.reports.plain import load, plain_aging

DAYS = [TODAY, date(2026, 6, 30), date(2025, 11, 20), date(2026, 3, 1)]


@pytest.fixture(scope="module")
def data(report_engine):
    from sqlmodel import Session

    with Session(report_engine) as session:
        return load(session)


def report_cells(report) -> dict:
    cells = {}
    for row in report.rows:
        for label, amount in zip(report.labels, row.buckets):
            if amount:
                cells[(row.client_id, row.currency, label)] = amount
    return cells


def test_the_test_data_has_what_the_report_must_handle(data):
    assert {i["currency"] for i in data.invoices} == {"EUR", "USD", "GBP"}
    statuses = {p["status"] for p in data.payments.values()}
    assert {"void", "refunded", "completed"} <= statuses
    assert any(n["status"] == "void" for notes in data.credit_notes.values() for n in notes)
    assert data.fees
    assert any(i["status"] == "cancelled" and i["number"] for i in data.invoices)


@pytest.mark.parametrize("as_of", DAYS)
@pytest.mark.parametrize("basis", ["due_date", "issue_date"])
def test_every_cell_matches_the_plain_computation(rdb, report_viewer, data, as_of, basis):
    report = aging_report(rdb, actor=report_viewer, options=AgingOptions(as_of=as_of, basis=basis))
    expected = plain_aging(data, as_of, basis=basis)
    assert expected, "the day should have open invoices"
    assert report_cells(report) == expected


def test_buckets_add_up_to_the_totals(rdb, report_viewer, data):
    report = aging_report(rdb, actor=report_viewer, options=AgingOptions(as_of=date(2026, 6, 30)))
    per_currency = defaultdict(Decimal)
    for row in report.rows:
        assert sum(row.buckets) == row.total > 0
        per_currency[row.currency] += row.total
    for total in report.totals:
        assert sum(total.buckets) == total.total == per_currency[total.currency]
        assert total.client_count == sum(1 for r in report.rows if r.currency == total.currency)
    assert report.labels == ("Current", "1-30", "31-60", "61-90", "91-120", "Over 120")


def test_back_dating_counts_a_payment_voided_later(rdb, report_viewer, data):
    """A payment made in the past and voided after the as-of day still counted on that day."""
    voided = next(p for p in data.payments.values()
                  if p["status"] == "void" and (p["reversed_at"].date() - p["payment_date"]).days > 3)
    as_of = voided["payment_date"]
    expected = plain_aging(data, as_of)
    report = aging_report(rdb, actor=report_viewer, options=AgingOptions(as_of=as_of))
    assert report_cells(report) == expected


def test_configured_boundaries(rdb, report_viewer, data):
    options = AgingOptions(as_of=date(2026, 6, 30), boundaries=(15, 45, 365))
    report = aging_report(rdb, actor=report_viewer, options=options)
    assert report.labels == ("Current", "1-15", "16-45", "46-365", "Over 365")
    assert report_cells(report) == plain_aging(data, options.as_of, boundaries=(15, 45, 365))


def test_filters(rdb, report_viewer, data):
    as_of = date(2026, 6, 30)
    full = plain_aging(data, as_of)
    client_id = max({k[0] for k in full}, key=lambda c: sum(v for k, v in full.items() if k[0] == c))
    only_client = aging_report(rdb, actor=report_viewer,
                               options=AgingOptions(as_of=as_of, client_id=client_id))
    assert report_cells(only_client) == plain_aging(data, as_of, client_id=client_id)

    usd = aging_report(rdb, actor=report_viewer, options=AgingOptions(as_of=as_of, currency="usd"))
    assert report_cells(usd) == plain_aging(data, as_of, currency="USD")
    assert [t.currency for t in usd.totals] == ["USD"]

    overdue = aging_report(rdb, actor=report_viewer,
                           options=AgingOptions(as_of=as_of, only_overdue=True))
    assert report_cells(overdue) == plain_aging(data, as_of, only_overdue=True)
    assert all(row.buckets[0] == 0 for row in overdue.rows)

    client_totals = defaultdict(Decimal)
    for (cid, currency, _), amount in full.items():
        client_totals[(cid, currency)] += amount
    floor = sorted(client_totals.values())[len(client_totals) // 2]
    big = aging_report(rdb, actor=report_viewer,
                       options=AgingOptions(as_of=as_of, min_balance=floor))
    assert {(r.client_id, r.currency) for r in big.rows} == {
        key for key, total in client_totals.items() if total >= floor}


def test_drill_down_gives_the_invoices_behind_a_cell(rdb, report_viewer, data):
    as_of = date(2026, 3, 1)
    report = aging_report(rdb, actor=report_viewer, options=AgingOptions(as_of=as_of))
    row = max(report.rows, key=lambda r: sum(1 for b in r.buckets if b))
    options = AgingOptions(as_of=as_of, client_id=row.client_id, currency=row.currency)
    for bucket, amount in enumerate(row.buckets):
        invoices = aging_invoices(rdb, actor=report_viewer, options=options, bucket=bucket)
        assert sum((i.open_amount for i in invoices), Decimal(0)) == amount
        for invoice in invoices:
            assert invoice.open_amount == invoice.total + invoice.fees - invoice.paid - invoice.credited
            assert invoice.bucket_label == report.labels[bucket]
    everything = aging_invoices(rdb, actor=report_viewer, options=options)
    assert sum(i.open_amount for i in everything) == row.total
    assert len(everything) == row.invoice_count


def test_a_client_user_gets_nothing(rdb, report_client_user):
    with pytest.raises(PermissionDenied):
        aging_report(rdb, actor=report_client_user, options=AgingOptions(as_of=TODAY))
    with pytest.raises(PermissionDenied):
        aging_invoices(rdb, actor=report_client_user,
                       options=AgingOptions(as_of=TODAY, client_id=1))


def test_boundaries_must_rise():
    with pytest.raises(ValidationFailed):
        AgingOptions(as_of=TODAY, boundaries=(30, 30, 60))
    with pytest.raises(ValidationFailed):
        AgingOptions(as_of=TODAY, boundaries=())
