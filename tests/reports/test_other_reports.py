"""Revenue, tax, DSO and the cash forecast against plain loops over the same rows."""

from collections import defaultdict
from datetime import UTC, date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import delete
from sqlmodel import Session, select

from billing_app.errors import PermissionDenied
from billing_app.models.reports import ReceivablesSnapshot
from billing_app.queries.company import company_today
from billing_app.reports.dso import WINDOW_DAYS, dso_history, month_ends, receivables_on
from billing_app.reports.forecast import cash_forecast
from billing_app.reports.revenue import revenue_report
from billing_app.reports.tax import TaxPeriod, tax_summary
from billing_app.services.reports import receivables_snapshot_take, receivables_snapshots_backfill
from billing_app.tasks.reports import snapshot_receivables
from billing_app.tasks.schedule import BEAT_SCHEDULE
from tests.reports.conftest import TODAY
from tests.reports.plain import load, plain_aging

START, END = date(2025, 12, 1), date(2026, 11, 20)
ZERO = Decimal(0)


@pytest.fixture(scope="module")
def data(report_engine):
    with Session(report_engine) as session:
        return load(session)


def month(day: date) -> date:
    return day.replace(day=1)


def issued_in(invoice, start, end) -> bool:
    return (invoice["number"] is not None and invoice["status"] != "draft"
            and start <= invoice["issue_date"] <= end)


def notes(data):
    return [n for ns in data.credit_notes.values() for n in ns if n["status"] == "issued"]


def test_revenue_per_month_and_currency(rdb, report_viewer, data):
    expected = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for invoice in data.invoices:
        if issued_in(invoice, START, END):
            expected[(month(invoice["issue_date"]), invoice["currency"])][0] += invoice["total"]
    for note in notes(data):
        if START <= note["issue_date"] <= END:
            expected[(month(note["issue_date"]), note["currency"])][1] += note["total"]
    for payment in data.payments.values():  # the cash view: a refund counts when it is made
        if payment["status"] in ("completed", "refunded") and START <= payment["payment_date"] <= END:
            expected[(month(payment["payment_date"]), payment["currency"])][2] += payment["amount"]
        refunded_on = payment["reversed_at"] and payment["reversed_at"].astimezone(data.zone).date()
        if payment["status"] == "refunded" and START <= refunded_on <= END:
            expected[(month(refunded_on), payment["currency"])][2] -= (
                payment["amount"] - payment["amount_refunded"])
    report = revenue_report(rdb, actor=report_viewer, start=START, end=END)
    got = {(m.month, m.currency): [m.invoiced, m.credited, m.collected] for m in report.months}
    assert got == dict(expected)
    assert all(m.net_invoiced == m.invoiced - m.credited for m in report.months)
    assert [(m.month, m.currency) for m in report.months] == sorted(got)


def test_top_clients_and_products(rdb, report_viewer, data):
    net = defaultdict(Decimal)
    for invoice in data.invoices:
        if issued_in(invoice, START, END):
            net[(invoice["client_id"], invoice["currency"])] += invoice["total"]
    for note in notes(data):
        if START <= note["issue_date"] <= END:
            net[(note["client_id"], note["currency"])] -= note["total"]
    report = revenue_report(rdb, actor=report_viewer, start=START, end=END)
    for currency in ("EUR", "USD", "GBP"):
        top = [c for c in report.top_clients if c.currency == currency]
        expected = sorted((v for (_, cur), v in net.items() if cur == currency), reverse=True)[:10]
        assert [c.net_invoiced for c in top] == expected
        assert all(net[(c.client_id, currency)] == c.net_invoiced for c in top)
    assert report.products and all(p.amount > 0 for p in report.products)


def test_tax_per_period_totals_are_the_invoices_tax(rdb, report_viewer, data):
    summary = tax_summary(rdb, actor=report_viewer, start=START, end=END, period=TaxPeriod.QUARTER)
    expected = defaultdict(Decimal)
    for invoice in data.invoices:
        if issued_in(invoice, START, END):
            d = invoice["issue_date"]
            expected[(date(d.year, (d.month - 1) // 3 * 3 + 1, 1), invoice["currency"])] += invoice["tax_total"]
    assert {(t.period, t.currency): t.tax_invoiced for t in summary.totals} == dict(expected)
    per_period = defaultdict(Decimal)
    for line in summary.lines:
        assert line.tax == (line.base * line.rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        per_period[(line.period, line.currency)] += line.tax
    for total in summary.totals:  # rounded per document vs per period: a few cents apart at most
        assert abs(per_period[(total.period, total.currency)] - total.tax_invoiced) < Decimal("5")


def test_receivables_match_the_aging_and_the_snapshot_is_used(rdb, report_viewer, data):
    day = date(2026, 6, 30)
    figures = {f.currency: f for f in receivables_on(rdb, day)}
    per_currency = defaultdict(Decimal)
    for (_, currency, _), amount in plain_aging(data, day).items():
        per_currency[currency] += amount
    assert {c: f.outstanding for c, f in figures.items() if f.outstanding} == dict(per_currency)
    first = day - timedelta(days=WINDOW_DAYS - 1)
    invoiced = sum((i["total"] for i in data.invoices
                    if issued_in(i, first, day) and i["currency"] == "EUR"), ZERO)
    invoiced -= sum((n["total"] for n in notes(data)
                     if first <= n["issue_date"] <= day and n["currency"] == "EUR"), ZERO)
    eur = figures["EUR"]
    assert eur.invoiced_trailing == invoiced
    assert eur.dso == (eur.outstanding / invoiced * WINDOW_DAYS).quantize(Decimal("0.1"))

    assert receivables_snapshot_take(rdb, actor=report_viewer, day=day) == len(figures)
    assert receivables_snapshot_take(rdb, actor=report_viewer, day=day) == len(figures)  # replaces
    stored = rdb.exec(select(ReceivablesSnapshot).where(ReceivablesSnapshot.day == day)).all()
    assert {s.currency: s.outstanding for s in stored} == {c: f.outstanding for c, f in figures.items()}
    history = dso_history(rdb, actor=report_viewer, today=TODAY, months=6)
    assert sorted({f.day for f in history}) == month_ends(TODAY, 6)
    assert {f.currency: f.outstanding for f in history if f.day == day} == \
        {c: f.outstanding for c, f in figures.items()}
    # the history reads the snapshot: a changed snapshot shows
    stored[0].outstanding += 1
    rdb.flush()
    moved = [f for f in dso_history(rdb, actor=report_viewer, today=TODAY, months=6)
             if f.day == day and f.currency == stored[0].currency]
    assert moved[0].outstanding == figures[stored[0].currency].outstanding + 1


def test_forecast_and_backtest(rdb, report_viewer, data):
    def late(invoice):
        return (invoice["paid_at"].astimezone(UTC).date() - invoice["due_date"]).days

    paid = [i for i in data.invoices if i["status"] == "paid" and i["paid_at"] is not None]
    by_client = defaultdict(list)
    for invoice in paid:
        by_client[invoice["client_id"]].append(late(invoice))
    expected = defaultdict(lambda: [ZERO, 0])
    for invoice in data.invoices:
        if invoice["status"] in ("issued", "sent", "partially_paid", "overdue") and invoice["balance_due"] > 0:
            history = by_client.get(invoice["client_id"])
            shift = (Decimal(sum(history)) / len(history)).quantize(Decimal(1), ROUND_HALF_UP) if history else 0
            offset = (invoice["due_date"] - TODAY).days + int(shift)
            for days in (30, 60, 90):
                if offset <= days:
                    expected[(invoice["currency"], days)][0] += invoice["balance_due"]
                    expected[(invoice["currency"], days)][1] += 1
    forecast = cash_forecast(rdb, actor=report_viewer, today=TODAY)
    got = {(w.currency, w.days): [w.amount, w.invoice_count] for w in forecast.windows if w.invoice_count}
    assert got == {k: v for k, v in expected.items() if v[1]}

    errors_model, errors_naive = [], []
    ordered = sorted(paid, key=lambda i: (i["paid_at"], i["id"]))
    seen = defaultdict(list)
    for invoice in ordered:
        before = seen[invoice["client_id"]]
        estimate = (Decimal(sum(before)) / len(before)).quantize(Decimal(1), ROUND_HALF_UP) if before else 0
        if TODAY - timedelta(days=365) <= invoice["paid_at"].astimezone(UTC).date() <= TODAY:
            errors_model.append(abs(late(invoice) - estimate))
            errors_naive.append(abs(late(invoice)))
        before.append(late(invoice))
    test = forecast.backtest
    assert test.invoices == len(errors_model) > 50
    assert test.model_error_days == (Decimal(sum(errors_model)) / len(errors_model)).quantize(Decimal("0.1"))
    assert test.naive_error_days == (Decimal(sum(errors_naive)) / len(errors_naive)).quantize(Decimal("0.1"))


@pytest.mark.parametrize("report", [
    lambda db, actor: revenue_report(db, actor=actor, start=START, end=END),
    lambda db, actor: tax_summary(db, actor=actor, start=START, end=END),
    lambda db, actor: dso_history(db, actor=actor, today=TODAY, months=1),
    lambda db, actor: cash_forecast(db, actor=actor, today=TODAY),
])
def test_client_users_get_no_report(rdb, report_client_user, report):
    with pytest.raises(PermissionDenied):
        report(rdb, report_client_user)


def test_the_beat_task_snapshots_the_last_finished_day(reports_api, report_engine):
    """The scheduled task writes yesterday (the company's) and a repeat rewrites it."""
    assert BEAT_SCHEDULE["snapshot-receivables"]["task"] == snapshot_receivables.name
    written = snapshot_receivables()
    assert snapshot_receivables() == written > 0
    with Session(report_engine) as session:
        day = company_today(session) - timedelta(days=1)
        rows = session.exec(select(ReceivablesSnapshot).where(ReceivablesSnapshot.day == day)).all()
        assert len(rows) == written
        assert {r.currency: r.outstanding for r in rows} == \
            {f.currency: f.outstanding for f in receivables_on(session, day)}
        backfilled = session.exec(select(ReceivablesSnapshot.day).where(
            ReceivablesSnapshot.day.in_(month_ends(day + timedelta(days=1), 24)))).all()
        assert len(set(backfilled)) == 4  # two missing month ends per run, and it ran twice
        session.exec(delete(ReceivablesSnapshot))
        session.commit()


def test_backfill_fills_the_missing_month_ends_latest_first(rdb, report_viewer):
    first = receivables_snapshots_backfill(rdb, actor=report_viewer, today=TODAY, months=4, limit=3)
    assert first == [date(2026, 10, 31), date(2026, 9, 30), date(2026, 8, 31)]
    assert receivables_snapshots_backfill(rdb, actor=report_viewer, today=TODAY, months=4,
                                          limit=3) == [date(2026, 7, 31)]
    assert receivables_snapshots_backfill(rdb, actor=report_viewer, today=TODAY, months=4) == []
