"""Staff browse the invoice list: filters, totals of the filtered set, search, paging, selection."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, func, select

from billing_app.models.invoices import Invoice
from tests.browser.conftest import sign_in

PAGE_SIZE = 25


def _open_list(page, email: str = "accountant@example.com") -> None:
    sign_in(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/invoices")
    expect(page.get_by_role("table")).to_be_visible()


def _counts_by_currency(engine, *conditions) -> dict[str, int]:
    with Session(engine) as db:
        return dict(db.exec(select(Invoice.currency, func.count()).where(*conditions)
                            .group_by(Invoice.currency)).all())


def _status_cells(page):
    return page.get_by_role("table").get_by_role("row").locator("td:nth-child(6)")


def _page_label(page):
    return page.get_by_text(re.compile(r"^\d[\d,]*–\d[\d,]* of \d[\d,]*$"))


@pytest.mark.browser
def test_status_filter_shows_only_paid_rows_and_their_totals(page, live_engine):
    _open_list(page)
    totals = page.get_by_label("Totals of the matching invoices")
    everything = _counts_by_currency(live_engine)
    for currency, count in everything.items():
        expect(totals).to_contain_text(f"{currency}{count:,} invoices")
    page.screenshot(path="/tmp/invoice-list.png", full_page=True)

    page.get_by_label("Status").select_option(label="Paid")
    paid = _counts_by_currency(live_engine, Invoice.status == "paid")
    assert paid and paid != everything
    for currency, count in paid.items():
        expect(totals).to_contain_text(f"{currency}{count:,} invoice")
    expect(page).to_have_url(re.compile(r"/invoices/?\?status=paid$"))
    statuses = _status_cells(page)
    expect(statuses.first).to_have_text("Paid")
    assert set(statuses.all_inner_texts()) == {"Paid"}
    page.screenshot(path="/tmp/invoice-list-paid.png", full_page=True)

    page.reload()  # the filter travels in the address
    expect(page.get_by_label("Status")).to_have_value("paid")
    expect(_status_cells(page).first).to_have_text("Paid")


@pytest.mark.browser
def test_search_finds_an_invoice_by_its_number(page, live_engine):
    with Session(live_engine) as db:
        number = db.exec(select(Invoice.number).where(Invoice.number.is_not(None))
                         .order_by(Invoice.id.desc()).offset(40)).first()
    _open_list(page, "viewer@example.com")
    expect(page.get_by_role("link", name=number)).to_have_count(0)
    page.get_by_label("Search invoices").fill(number)
    link = page.get_by_role("link", name=number, exact=True)
    expect(link).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)  # header and the one row
    with Session(live_engine) as db:
        invoice_id = db.exec(select(Invoice.id).where(Invoice.number == number)).one()
    expect(link).to_have_attribute("href", re.compile(rf"/invoices/{invoice_id}/?$"))

    page.get_by_label("Search invoices").fill("no invoice or client is called this")
    expect(page.get_by_text("No invoices match these filters.")).to_be_visible()


@pytest.mark.browser
def test_paging_moves_through_the_filtered_set(page, live_engine):
    with Session(live_engine) as db:
        total = db.exec(select(func.count()).select_from(Invoice)).one()
    assert total > 2 * PAGE_SIZE
    _open_list(page)
    label = _page_label(page)
    expect(label).to_have_text(f"1–{PAGE_SIZE} of {total:,}")
    first_page = page.get_by_role("rowheader").all_inner_texts()
    assert len(first_page) == PAGE_SIZE

    page.get_by_role("button", name="Next page").click()
    expect(label).to_have_text(f"{PAGE_SIZE + 1}–{2 * PAGE_SIZE} of {total:,}")
    second_page = page.get_by_role("rowheader").all_inner_texts()
    assert len(second_page) == PAGE_SIZE and not set(first_page) & set(second_page)

    page.get_by_role("button", name="Previous page").click()
    expect(label).to_have_text(f"1–{PAGE_SIZE} of {total:,}")
    expect(page.get_by_role("button", name="Previous page")).to_be_disabled()


@pytest.mark.browser
def test_rows_can_be_selected_and_the_selection_cleared(page):
    _open_list(page)
    rows = page.get_by_role("table").get_by_role("row")
    rows.nth(1).get_by_role("checkbox").click()
    bar = page.get_by_role("region", name="Selected invoices")
    expect(bar).to_contain_text("1 selected")
    page.get_by_role("checkbox", name="Select all on this page").click()
    expect(bar).to_contain_text(f"{PAGE_SIZE} selected")
    page.screenshot(path="/tmp/invoice-list-selected.png", full_page=True)
    bar.get_by_role("button", name="Clear selection").click()
    expect(bar).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Select all on this page")).not_to_be_checked()


@pytest.mark.browser
def test_viewer_sees_the_list_but_cannot_start_an_invoice(page, chromium, live_app):
    _open_list(page, "viewer@example.com")
    expect(page.get_by_role("rowheader").first).to_be_visible()
    expect(page.get_by_role("link", name="New invoice")).to_have_count(0)

    other = chromium.new_context(base_url=live_app.url).new_page()
    _open_list(other, "accountant@example.com")
    expect(other.get_by_role("link", name="New invoice")).to_have_attribute(
        "href", re.compile(r"/invoices/new/?$"))
    other.context.close()


@pytest.mark.browser
def test_issue_date_range_and_overdue_only_narrow_the_list(page, live_engine):
    with Session(live_engine) as db:
        first, last = db.exec(select(func.min(Invoice.issue_date), func.max(Invoice.issue_date))).one()
    start = first + (last - first) / 3
    end = first + (last - first) * 2 / 3
    in_range = sum(_counts_by_currency(live_engine, Invoice.issue_date >= start,
                                       Invoice.issue_date <= end).values())
    _open_list(page)
    page.get_by_label("Issued from").fill(start.isoformat())
    page.get_by_label("Issued to").fill(end.isoformat())
    expect(_page_label(page)).to_have_text(re.compile(rf" of {in_range:,}$"))
    issued = page.get_by_role("table").get_by_role("row").locator("td:nth-child(4)").all_inner_texts()
    assert issued and all(start.isoformat() <= day <= end.isoformat() for day in issued)

    page.get_by_label("Overdue only").click()  # a controlled checkbox: ticked once the server says so
    expect(page.get_by_label("Overdue only")).to_be_checked()
    expect(page).to_have_url(re.compile(rf"from={start}&to={end}&overdue=1$"))
    expect(_page_label(page)).not_to_have_text(re.compile(rf" of {in_range:,}$"))
    statuses = set(_status_cells(page).all_inner_texts())
    assert statuses <= {"Overdue", "Issued", "Sent", "Partially paid"}
