"""Collected, the cash view: payments on their dates less refunds on theirs; voided and returned
payments were never collected. Revenue, the home page and DSO read the same figure."""

from datetime import UTC, date, datetime
from decimal import Decimal

from billing_app.reports.dashboard import kpis
from billing_app.reports.dso import receivables_on
from billing_app.reports.revenue import revenue_report
from billing_app.services.payments import (
    payment_record,
    payment_refund,
    payment_return,
    refund_payment,
    refund_undo,
)
from tests.invoices.conftest import company, customer  # noqa: F401

CURRENCY = "NOK"  # no other test pays in it: the sums below are this test's alone
JAN, FEB = date(2031, 1, 1), date(2031, 2, 1)


def pay(db, actor, client, amount: str, day: date):
    return payment_record(db, actor=actor, today=day, send_receipt=False, data={
        "client_id": client.id, "payment_date": day, "amount": amount, "currency": CURRENCY})


def refund(db, actor, payment, amount: str, day: date):
    return refund_payment(db, actor=actor, payment_id=payment.id, today=day, data={
        "amount": amount, "reason": "Goods returned", "refund_date": day})


def test_refunds_count_on_their_own_dates_and_returned_payments_never(
        db, company, accountant, viewer, customer):
    company.time_zone = "America/New_York"
    kept = pay(db, accountant, customer, "1000.00", date(2031, 1, 15))
    refund(db, accountant, kept, "300.00", date(2031, 2, 10))
    undone = refund(db, accountant, kept, "100.00", date(2031, 2, 12))
    refund_undo(db, actor=accountant, refund_id=undone.id, reason="The bank sent it back")
    whole = pay(db, accountant, customer, "200.00", date(2031, 1, 5))
    refund(db, accountant, whole, "50.00", date(2031, 1, 25))
    payment_refund(db, actor=accountant, payment_id=whole.id, reason="Order cancelled")
    whole.reversed_at = datetime(2031, 3, 1, 3, 0, tzinfo=UTC)  # 28 Feb in New York
    bounced = pay(db, accountant, customer, "250.00", date(2031, 1, 20))
    payment_return(db, actor=accountant, payment_id=bounced.id, reason="Returned by the bank")
    bounced.reversed_at = datetime(2031, 2, 5, 9, 0, tzinfo=UTC)
    db.flush()

    report = revenue_report(db, actor=viewer, start=JAN, end=date(2031, 3, 31))
    months = {m.month: m.collected for m in report.months if m.currency == CURRENCY}
    # January: 1,000.00 + 200.00 received, 50.00 given back; the returned 250.00 never counts.
    # February: 300.00 refunded, and the 150.00 that was left of the 200.00 (the undone
    # refund of 100.00 is as if never made). A finance user sees the refund in its own month,
    # negative, while January stays as reported.
    assert months == {JAN: Decimal("1150.00"), FEB: Decimal("-450.00")}
    assert sum(months.values()) == Decimal("700.00")  # what we kept, to the cent

    [home] = [k for k in kpis(db, actor=viewer, today=date(2031, 2, 28)) if k.currency == CURRENCY]
    assert home.collected_this_month == Decimal("-450.00")

    def trailing(day):
        return {f.currency: f.collected_trailing for f in receivables_on(db, day)}[CURRENCY]

    assert trailing(date(2031, 2, 28)) == Decimal("700.00")
    # as it stood at the end of January (what that day's snapshot holds): the bank had not yet
    # returned the 250.00
    assert trailing(date(2031, 1, 31)) == Decimal("1400.00")
