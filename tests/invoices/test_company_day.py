"""A service left to find "today" itself takes the company's date, not the server's."""

from datetime import UTC, date, datetime, timedelta

import pytest

import billing_app.queries.company
from billing_app.services.invoices import invoice_create_draft, invoice_duplicate
from tests.invoices.conftest import draft, line

NOW = datetime(2031, 6, 1, 10, 30, tzinfo=UTC)  # a date the test machine's clock is not on


@pytest.mark.parametrize("time_zone,company_day", [
    ("Pacific/Kiritimati", date(2031, 6, 2)),  # UTC+14: already tomorrow
    ("Pacific/Pago_Pago", date(2031, 5, 31)),  # UTC-11: still yesterday
])
def test_a_copy_is_dated_by_the_company_day(db, company, accountant, customer, monkeypatch,
                                            time_zone, company_day):
    company.time_zone = time_zone
    db.flush()
    source = invoice_create_draft(db, actor=accountant, data=draft(customer, line()))
    monkeypatch.setattr(billing_app.queries.company, "utcnow", lambda: NOW)

    copy = invoice_duplicate(db, actor=accountant, invoice_id=source.id)

    assert (copy.issue_date, copy.due_date) == (company_day, company_day + timedelta(days=14))
