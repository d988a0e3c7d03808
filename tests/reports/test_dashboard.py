"""The home page's figures read today's balances; they must be the aging report as of today,
and a payment must move them at once (no cache to go stale)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing_app.errors import PermissionDenied
from billing_app.reports.aging import AgingOptions, aging_report
from billing_app.reports.dashboard import aging_bars, due_this_week, kpis, largest_overdue, top_debtors
from billing_app.services.payments import payment_record
from tests.invoices.conftest import company, customer, issued, rates  # noqa: F401

TODAY = date(2031, 4, 20)  # the invoice fixtures issue in 2031


def pay(db, actor, client, invoice, amount: str, day: date = TODAY - timedelta(days=1)):
    return payment_record(db, actor=actor, today=TODAY, data={
        "client_id": client.id, "payment_date": day, "amount": amount,
        "allocations": [{"invoice_id": invoice.id, "amount": amount}]})


def assert_same_as_aging(db, viewer):
    report = aging_report(db, actor=viewer, options=AgingOptions(as_of=TODAY))
    figures = {k.currency: k for k in kpis(db, actor=viewer, today=TODAY)}
    bars = aging_bars(db, actor=viewer, today=TODAY)
    for total in report.totals:
        assert figures[total.currency].outstanding == total.total
        assert figures[total.currency].overdue == total.total - total.buckets[0]
        assert [b.amount for b in bars if b.currency == total.currency] == list(total.buckets)
    return figures


def test_dashboard_is_todays_aging_and_a_payment_moves_it(db, viewer, accountant, customer, issued):
    late = issued("100.00")  # issued 2031-03-03, due 14 days later: overdue on TODAY
    soon = issued("250.00", issue_date=TODAY - timedelta(days=10))  # due in 4 days
    pay(db, accountant, customer, late, "40.00")
    before = assert_same_as_aging(db, viewer)["EUR"]
    pay(db, accountant, customer, soon, "50.00")
    after = assert_same_as_aging(db, viewer)["EUR"]
    assert before.outstanding - after.outstanding == Decimal("50.00")
    assert after.collected_this_month - before.collected_this_month == Decimal("50.00")
    assert after.dso is not None and after.dso < before.dso

    assert soon.id in [row.id for row in due_this_week(db, actor=viewer, today=TODAY)]
    assert late.id in [row.id for row in largest_overdue(db, actor=viewer, today=TODAY)]
    assert late.id not in [row.id for row in due_this_week(db, actor=viewer, today=TODAY)]
    debtor = next(d for d in top_debtors(db, actor=viewer, currencies=["EUR"])
                  if d.client_id == customer.id)
    assert debtor.balance == Decimal("260.00")


def test_client_users_get_no_dashboard(db, client_user):
    for read in (lambda: kpis(db, actor=client_user, today=TODAY),
                 lambda: aging_bars(db, actor=client_user, today=TODAY),
                 lambda: top_debtors(db, actor=client_user, currencies=["EUR"])):
        with pytest.raises(PermissionDenied):
            read()
