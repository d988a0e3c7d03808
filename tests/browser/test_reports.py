"""A manager (viewer) on the dashboard and the aging report: back-dates it, drills into a
client, exports XLSX with the page's totals; an accountant's payment shows at once."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.services.payments import payment_record
from billing_app.ui.states.home import HomeState
from billing_app.ui.states.report_aging import AgingState
from billing_app.ui.states.report_pages import RevenueState
from tests.browser.conftest import sign_in
from tests.support.websocket import send_event, session_cookie


def amount(text: str) -> Decimal:
    """"€12,345.67" -> Decimal("12345.67")."""
    return Decimal(re.sub(r"[^\d.-]", "", text))


def _outstanding(page) -> Decimal:
    card = page.get_by_label("Outstanding (EUR)")
    expect(card).to_be_visible()
    return amount(card.get_by_role("heading").inner_text())


def _total_row(page, currency: str = "EUR"):
    return page.locator("#aging-table tr").filter(has_text=f"Total {currency}")


@pytest.mark.browser
def test_viewer_dashboard_aging_drill_down_and_export(page, live_engine, tmp_path):
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/")
    expect(page.locator(".kpi-cards").first).to_be_visible()
    expect(page.locator(".recharts-wrapper")).to_have_count(3)  # revenue, aging, top debtors
    expect(page.locator(".recharts-wrapper .recharts-bar-rectangle").first).to_be_visible()
    expect(page.get_by_role("heading", name="Largest overdue")).to_be_visible()
    outstanding = _outstanding(page)

    page.get_by_label("Outstanding (EUR)").click()  # the figure links to the aging report
    expect(page).to_have_url(re.compile(r"/reports/aging\?.*currency=EUR"))
    total_cells = _total_row(page).locator("td")
    expect(total_cells.first).to_be_visible()
    assert amount(total_cells.nth(-2).inner_text()) == outstanding  # today's aging = the card

    with Session(live_engine) as db:
        back = (company_today(db) - timedelta(days=60)).isoformat()
    page.get_by_label("As of").fill(back)
    page.get_by_role("button", name="Show report").click()
    expect(page).to_have_url(re.compile(f"as_of={back}"))
    expect(_total_row(page)).to_be_visible()
    page_total = amount(_total_row(page).locator("td").nth(-2).inner_text())
    page_buckets = [amount(t) for t in _total_row(page).locator("td").all_inner_texts()[1:-2]]
    assert sum(page_buckets) == page_total

    first = page.locator("#aging-table tbody tr").first
    client_total = amount(first.locator("td").nth(-2).inner_text())
    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLSX").click()
    path = tmp_path / "aging.xlsx"
    download.value.save_as(path)
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    exported = next(row for row in rows if row[0] == "Total EUR")
    assert Decimal(str(exported[-2])).quantize(Decimal("0.01")) == page_total
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in exported[2:-2]] == page_buckets

    first.get_by_role("rowheader").get_by_role("link").click()  # the client, all buckets
    expect(page).to_have_url(re.compile(rf"/reports/aging/\d+\?.*as_of={back}"))
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_text("Open on the day, in all:")).to_contain_text(f"{client_total:,}")


@pytest.mark.browser
def test_an_accountants_payment_moves_the_dashboard_at_once(page, live_engine):
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/")
    before = _outstanding(page)
    with Session(live_engine) as db:
        accountant = db.exec(select(User).where(User.email == "accountant@example.com")).one()
        invoice = db.exec(select(Invoice).where(Invoice.status.in_(OPEN_STATUSES),
                                                Invoice.currency == "EUR", Invoice.balance_due > 1)
                          .order_by(Invoice.id)).first()
        today = company_today(db)
        payment_record(db, actor=accountant, today=today, send_receipt=False, data={
            "client_id": invoice.client_id, "payment_date": today, "amount": "1.00",
            "allocations": [{"invoice_id": invoice.id, "amount": "1.00"}]})
        db.commit()
    page.reload()
    expected = before - Decimal("1.00")
    expect(page.get_by_label("Outstanding (EUR)").get_by_role("heading")).to_have_text(
        re.compile(re.escape(f"{expected:,}")))


@pytest.mark.browser
def test_viewer_reads_every_report_and_a_client_user_none(page):
    sign_in(page, "viewer@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/reports")
    page.get_by_role("link", name="Revenue").first.click()
    expect(page).to_have_url(re.compile(r"/reports/revenue\?start="))
    expect(page.get_by_role("columnheader", name="Net invoiced").first).to_be_visible()
    expect(page.locator(".recharts-wrapper .recharts-bar-rectangle").first).to_be_visible()
    expect(page.get_by_role("heading", name="Top clients")).to_be_visible()

    page.get_by_role("link", name="Tax summary").click()
    expect(page.get_by_role("rowheader", name=re.compile(r"^\d{4}-\d{2}$")).first).to_be_visible()
    page.get_by_label("Per", exact=True).select_option("quarter")
    page.get_by_role("button", name="Show report").click()
    expect(page).to_have_url(re.compile(r"period=quarter"))
    expect(page.get_by_role("rowheader", name=re.compile(r"^\d{4} Q[1-4]$")).first).to_be_visible()

    page.get_by_role("link", name="DSO").click()
    expect(page.get_by_text("DSO = receivables outstanding")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"^\d+\.\d days$")).first).to_be_visible()
    expect(page.locator(".recharts-wrapper .recharts-line").first).to_be_visible()

    page.get_by_role("link", name="Cash-in forecast").click()
    expect(page.locator("#forecast-backtest")).to_contain_text("mean absolute error")
    expect(page.get_by_role("cell", name="Next 90 days").first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "client@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/reports/aging")
    expect(page).to_have_url(re.compile(r"/not-allowed"))


@pytest.mark.browser
@pytest.mark.parametrize("who", ["client@example.com", None])
def test_crafted_report_events_give_a_client_or_a_stranger_nothing(live_app, who):
    cookie = session_cookie(live_app.url, who) if who else None
    for state, handler, pathname in ((AgingState, "apply", "/reports/aging"),
                                     (RevenueState, "apply", "/reports/revenue"),
                                     (HomeState, "load", "/")):
        answers = send_event(live_app.url, cookie, handler, {}, state=state, pathname=pathname)
        text = json.dumps(answers)
        assert answers, "the server did not answer the event"
        assert "€" not in text, f"{state.__name__}.{handler} sent figures"
        assert "not allowed" in text or "sign in" in text
