"""Bulk jobs in the browser with a real Celery worker on Redis: a viewer zips 50 invoices, sees
the progress reach 100% (also after leaving the page) and downloads a zip of 50 PDFs; only
staff who may send see the send actions."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.bulk import BulkJob
from billing_app.models.users import User
from billing_app.ui.states.bulk_jobs import BulkJobsState
from billing_app.ui.states.invoices import InvoicesState
from tests.browser.conftest import sign_in
from tests.support.websocket import send_events, session_cookie

SELECTED = 50


def _open_list(page, email: str) -> None:
    sign_in(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/invoices")
    expect(page.get_by_role("rowheader").first).to_be_visible()


def _select_two_pages(page):
    select_page = page.get_by_role("checkbox", name="Select all on this page")
    select_page.click()
    bar = page.get_by_role("region", name="Selected invoices")
    expect(bar).to_contain_text("25 selected")
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_text(re.compile(r"^26–50 of "))).to_be_visible()
    expect(select_page).not_to_be_checked()
    select_page.click()
    expect(bar).to_contain_text(f"{SELECTED} selected")
    return bar


@pytest.mark.browser
def test_a_viewer_zips_50_invoices_watches_the_progress_and_downloads_50_pdfs(
        page, live_worker, tmp_path):
    _open_list(page, "viewer@example.com")
    bar = _select_two_pages(page)
    expect(bar.get_by_role("button", name="Send selected")).to_have_count(0)
    expect(bar.get_by_role("button", name="Send reminder now")).to_have_count(0)

    bar.get_by_role("button", name="Download PDFs (zip)").click()
    job = page.get_by_role("region", name=re.compile(r"^Bulk job \d+$")).first
    expect(job).to_contain_text(f"Download PDFs (zip) · {SELECTED} invoices")
    page.screenshot(path="/tmp/bulk-running.png", full_page=True)

    page.get_by_role("link", name="Bulk jobs", exact=True).click()  # leave the list; the job goes on
    expect(page).to_have_url(re.compile(r"/jobs/?$"))
    job = page.get_by_role("region", name=re.compile(r"^Bulk job \d+$")).first
    expect(job.get_by_test_id("job-percent")).to_have_text("100%", timeout=240_000)
    expect(job).to_contain_text("Finished", timeout=60_000)
    expect(job.get_by_test_id("job-progress")).to_have_text(f"{SELECTED} of {SELECTED} done")
    page.screenshot(path="/tmp/bulk-done.png", full_page=True)

    with page.expect_download() as download:
        job.get_by_role("link", name="Download zip").click()
    saved = tmp_path / "invoices.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        assert len(names) == SELECTED
        assert all(name.endswith(".pdf") and archive.read(name).startswith(b"%PDF-")
                   for name in names)


@pytest.mark.browser
def test_an_accountant_sees_the_send_actions_and_the_statement_run(page):
    _open_list(page, "accountant@example.com")
    page.get_by_role("checkbox", name="Select all on this page").click()
    bar = page.get_by_role("region", name="Selected invoices")
    for action in ("Send selected", "Send reminder now", "Download PDFs (zip)"):
        expect(bar.get_by_role("button", name=action)).to_be_visible()
    for route in ("/jobs", "/clients"):  # the statement run starts from either
        page.goto(route)
        expect(page.get_by_label("Statements from")).to_be_visible()
        expect(page.get_by_role("button", name="Email statements")).to_be_visible()
    page.screenshot(path="/tmp/bulk-clients.png", full_page=True)


def _job_kinds(engine, email: str, after_id: int) -> list[str]:
    with Session(engine) as db:
        return list(db.exec(select(BulkJob.kind).join(User, User.id == BulkJob.created_by_id)
                            .where(User.email == email, BulkJob.id > after_id)
                            .order_by(BulkJob.id)).all())


@pytest.mark.browser
def test_crafted_send_and_statement_run_events_from_a_viewer_start_nothing(live_app, live_engine):
    with Session(live_engine) as db:
        last_id = max(db.exec(select(BulkJob.id)).all(), default=0)
    cookie = session_cookie(live_app.url, "viewer@example.com")

    answers = send_events(live_app.url, cookie, [
        ("load", {}), ("toggle_page", {"checked": True}),
        ("start_bulk", {"kind": "invoice_send"}), ("start_bulk", {"kind": "reminder_send"}),
        ("start_bulk", {"kind": "pdf_zip"}),  # the control: the same selection, allowed
    ], state=InvoicesState, pathname="/invoices")
    answers += send_events(live_app.url, cookie, [("load", {}), ("start_statement_run", {})],
                           state=BulkJobsState, pathname="/jobs")

    assert json.dumps(answers).count("You are not allowed to do this.") == 3
    assert _job_kinds(live_engine, "viewer@example.com", last_id) == ["pdf_zip"]


@pytest.mark.browser
def test_each_failure_is_listed_with_its_reason(page, live_worker):
    _open_list(page, "accountant@example.com")
    page.get_by_label("Status").select_option(label="Paid")  # paid: no reminder is ever due
    expect(page).to_have_url(re.compile(r"status=paid"))
    rows = page.get_by_role("table").get_by_role("row")
    for row in (1, 2, 3):
        rows.nth(row).get_by_role("checkbox").click()
    bar = page.get_by_role("region", name="Selected invoices")
    expect(bar).to_contain_text("3 selected")
    numbers = page.get_by_role("rowheader").all_inner_texts()[:3]

    bar.get_by_role("button", name="Send reminder now").click()
    job = page.get_by_role("region", name=re.compile(r"^Bulk job \d+$")).first
    expect(job).to_contain_text("Send reminders now · 3 invoices")
    expect(job.get_by_test_id("job-progress")).to_have_text("0 of 3 done · 3 failed", timeout=120_000)
    expect(job).to_contain_text("Failed")
    for number in numbers:
        expect(job.get_by_role("listitem").filter(has_text=number)).to_contain_text(
            "No reminder is due for it today")
    page.screenshot(path="/tmp/bulk-failures.png", full_page=True)
