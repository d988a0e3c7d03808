"""Bulk jobs on a real Celery worker on Redis: the progress row moves while the job runs, the
zip holds every PDF and is downloaded with the browser's session cookie, and a statement run
reaches the SMTP server with each statement attached."""

import io
import time
import uuid
import zipfile
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from billing_app.api.app import create_api
from billing_app.auth.sessions import session_open
from billing_app.db import session_scope
from billing_app.models.bulk import BulkJob, BulkJobKind
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.services.bulk import bulk_job_create
from billing_app.settings import get_settings
from billing_app.tasks.bulk import run_bulk_job
from tests.bulk.conftest import TODAY
from tests.support.celery_worker import celery_worker
from tests.support.smtp import pdf_attachments, smtp_server  # noqa: F401  (a fixture)

pytestmark = pytest.mark.slow
ZIPPED = 25


@pytest.fixture(scope="module")
def worker(bulk_database, redis_server, smtp_server):  # noqa: F811
    with celery_worker(database_url=bulk_database, redis_url=redis_server.url,
                       data_dir=get_settings().data_dir, extra_env=smtp_server.env()) as client:
        yield client


def committed_job(email: str, kind: BulkJobKind, **kw) -> int:
    with session_scope() as session:
        actor = session.exec(select(User).where(User.email == email)).one()
        job, _ = bulk_job_create(session, actor=actor, kind=kind, request_key=uuid.uuid4().hex,
                                 today=TODAY, **kw)
        return job.id


def job_row(job_id: int) -> BulkJob:
    with session_scope() as session:
        return session.get(BulkJob, job_id)


def browser_cookie(email: str) -> dict[str, str]:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return {get_settings().session_cookie_name: session_open(session, user)}


def run_watching(job_id: int) -> tuple[str, set[int]]:
    """Run the job on the worker; its outcome and every `done` count seen while it ran."""
    result = run_bulk_job.delay(job_id)
    seen = set()
    deadline = time.monotonic() + 300
    while not result.ready() and time.monotonic() < deadline:
        seen.add(job_row(job_id).done)
        time.sleep(0.05)
    return result.get(timeout=10), seen


def test_a_zip_of_invoices_on_the_worker_holds_every_pdf_and_shows_progress(worker):
    with session_scope() as session:
        ids = session.exec(select(Invoice.id).order_by(Invoice.id).limit(ZIPPED)).all()
    job_id = committed_job("viewer@example.com", BulkJobKind.PDF_ZIP, invoice_ids=ids)

    outcome, seen = run_watching(job_id)

    assert outcome == "done"
    assert any(0 < done < ZIPPED for done in seen), f"no progress seen in between: {seen}"
    job = job_row(job_id)
    assert (job.status, job.done, job.failed, job.total) == ("done", ZIPPED, 0, ZIPPED)
    assert job.started_at <= job.finished_at
    with zipfile.ZipFile(get_settings().data_dir / job.result_path) as archive:
        pdfs = [archive.read(name) for name in archive.namelist()]
    assert len(pdfs) == ZIPPED and all(pdf.startswith(b"%PDF-") for pdf in pdfs)


def test_the_zip_downloads_with_the_session_cookie_for_staff_only(worker):
    with session_scope() as session:
        ids = session.exec(select(Invoice.id).order_by(Invoice.id.desc()).limit(3)).all()
    job_id = committed_job("viewer@example.com", BulkJobKind.PDF_ZIP, invoice_ids=ids)
    assert run_bulk_job.delay(job_id).get(timeout=120) == "done"
    url = f"/downloads/bulk-jobs/{job_id}.zip"
    api = create_api()

    def download(cookies: dict[str, str] | None):
        with TestClient(api, cookies=cookies) as client:
            return client.get(url)

    own = download(browser_cookie("viewer@example.com"))
    assert own.status_code == 200, own.text
    assert own.headers["content-type"] == "application/zip"
    assert own.headers["cache-control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(own.content)) as archive:
        assert len(archive.namelist()) == 3
    assert download(browser_cookie("accountant@example.com")).status_code == 200
    assert download(browser_cookie("client@example.com")).status_code == 403
    assert download(None).status_code == 401
    assert download({get_settings().session_cookie_name: "forged"}).status_code == 401
    unfinished = committed_job("viewer@example.com", BulkJobKind.PDF_ZIP, invoice_ids=ids)
    with TestClient(api, cookies=browser_cookie("viewer@example.com")) as client:
        assert client.get(f"/downloads/bulk-jobs/{unfinished}.zip").status_code == 404
        assert client.get("/downloads/bulk-jobs/99999999999.zip").status_code == 422


def test_a_statement_run_emails_each_client_with_a_balance_its_statement(worker, smtp_server):  # noqa: F811
    smtp_server.clear()
    job_id = committed_job("accountant@example.com", BulkJobKind.STATEMENT_RUN,
                           date_from=date(2026, 11, 1), date_to=TODAY)

    assert run_bulk_job.delay(job_id).get(timeout=300) == "done"

    job = job_row(job_id)
    assert job.total > 0 and (job.done, job.failed) == (job.total, 0)
    messages = smtp_server.wait_for(job.total, timeout=120)
    assert len(messages) == job.total
    for message in messages:
        (name, content), = pdf_attachments(message)
        assert name.startswith("statement-") and content.startswith(b"%PDF-")
