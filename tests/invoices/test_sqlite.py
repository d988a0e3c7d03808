"""The same services on SQLite (the development database): numbering, list search, overdue."""

from datetime import date

import pytest
from sqlmodel import Session

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import make_engine
from billing_app.models import Company
from billing_app.queries.invoices import invoices_page
from billing_app.services.invoices import (
    invoice_cancel,
    invoice_create_draft,
    invoice_issue,
    invoices_mark_overdue,
)
from tests.conftest import migrate
from tests.invoices.conftest import draft, line
from tests.support.factories import make_client


@pytest.fixture
def session(tmp_path):
    url = f"sqlite:///{tmp_path / 'invoices.db'}"
    migrate(url)
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(Company(name="Lite GmbH"))
        yield session
    engine.dispose()


def test_issue_list_and_overdue_on_sqlite(session):
    client = make_client(session, name="Wombat Werke")
    numbers = []
    for day in (date(2030, 12, 30), date(2031, 1, 2), date(2031, 1, 3)):
        invoice = invoice_create_draft(session, actor=SYSTEM_ACTOR,
                                       data=draft(client, line(), issue_date=day))
        numbers.append(invoice_issue(session, actor=SYSTEM_ACTOR, invoice_id=invoice.id,
                                     today=day).number)
    invoice_cancel(session, actor=SYSTEM_ACTOR, invoice_id=invoice.id, reason="Twice")

    assert numbers == ["INV-2030-00001", "INV-2031-00001", "INV-2031-00002"]
    page = invoices_page(session, actor=SYSTEM_ACTOR, search="wombat", sort="number",
                         today=date(2031, 1, 3))
    assert [row.number for row in page.rows] == numbers
    assert invoices_mark_overdue(session, today=date(2031, 3, 1)) == 2
    assert invoices_page(session, actor=SYSTEM_ACTOR, status="overdue").total_count == 2
