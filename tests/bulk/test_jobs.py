"""Bulk jobs in the services: made once per key, refused to roles that may not, item failures
kept with their reason while the rest goes on, a zip of every PDF, and resuming."""

import zipfile
from datetime import date, timedelta

import pytest
from sqlmodel import select

from billing_app.documents import invoice_pdf
from billing_app.errors import PermissionDenied, ValidationFailed
from billing_app.models.base import utcnow
from billing_app.models.bulk import BulkItemStatus, BulkJob, BulkJobItem, BulkJobKind, BulkJobStatus
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox
from billing_app.models.users import Role
from billing_app.services.bulk import (
    bulk_item_run,
    bulk_job_create,
    bulk_job_finish,
    bulk_job_start,
    bulk_jobs_stale,
    clients_with_balance,
    work,
)
from billing_app.settings import get_settings
from tests.bulk.conftest import TODAY

SENDING = (BulkJobKind.INVOICE_SEND, BulkJobKind.REMINDER_SEND, BulkJobKind.STATEMENT_RUN)


def invoice_ids(session, status: str, count: int) -> list[int]:
    ids = session.exec(select(Invoice.id).where(Invoice.status == status)
                       .order_by(Invoice.id).limit(count)).all()
    assert len(ids) == count, f"the demo data has fewer than {count} {status} invoices"
    return list(ids)


def create(session, actor, kind, key="form-1", **kw):
    period = {"date_from": date(2026, 11, 1), "date_to": TODAY} if kind == BulkJobKind.STATEMENT_RUN else {}
    return bulk_job_create(session, actor=actor, kind=kind, request_key=key, today=TODAY,
                           **{**period, **kw})


def run_in_process(session, job_id: int) -> str:
    """What the Celery task does, in the test's transaction."""
    for item_id in bulk_job_start(session, job_id=job_id):
        bulk_item_run(session, item_id=item_id)
    return bulk_job_finish(session, job_id=job_id)


def test_the_same_request_key_makes_one_job(db, demo_users):
    ids = invoice_ids(db, "paid", 3)
    accountant = demo_users[Role.ACCOUNTANT]

    first, created = create(db, accountant, BulkJobKind.PDF_ZIP, invoice_ids=ids)
    again, created_again = create(db, accountant, BulkJobKind.PDF_ZIP, invoice_ids=ids)
    other, created_other = create(db, accountant, BulkJobKind.PDF_ZIP, key="form-2", invoice_ids=ids)

    assert (created, created_again, created_other) == (True, False, True)
    assert again.id == first.id and other.id != first.id
    assert db.exec(select(BulkJobItem.invoice_id).where(BulkJobItem.job_id == first.id)
                    .order_by(BulkJobItem.position)).all() == ids
    assert (first.total, first.status) == (3, BulkJobStatus.QUEUED)


def test_a_viewer_may_zip_but_not_send_and_a_client_user_may_do_neither(db, demo_users):
    ids = invoice_ids(db, "paid", 2)
    viewer, client = demo_users[Role.VIEWER], demo_users[Role.CLIENT]

    job, _ = create(db, viewer, BulkJobKind.PDF_ZIP, invoice_ids=ids)
    assert job.created_by_id == viewer.id
    for kind in SENDING:
        with pytest.raises(PermissionDenied):
            create(db, viewer, kind, key=f"viewer-{kind}", invoice_ids=ids)
    for kind in BulkJobKind:
        with pytest.raises(PermissionDenied):
            create(db, client, kind, key=f"client-{kind}", invoice_ids=ids)


def test_a_job_needs_invoices_that_exist_and_a_statement_run_a_period(db, demo_users):
    accountant = demo_users[Role.ACCOUNTANT]

    with pytest.raises(ValidationFailed, match="at least one invoice"):
        create(db, accountant, BulkJobKind.PDF_ZIP, invoice_ids=[])
    with pytest.raises(ValidationFailed, match="no longer exist"):
        create(db, accountant, BulkJobKind.PDF_ZIP, invoice_ids=[999_999_999])
    with pytest.raises(ValidationFailed, match="period"):
        create(db, accountant, BulkJobKind.STATEMENT_RUN, date_from=TODAY, date_to=date(2026, 1, 1))
    run, _ = create(db, accountant, BulkJobKind.STATEMENT_RUN)
    owing = clients_with_balance(db)
    assert owing and run.total == len(owing)
    assert db.exec(select(BulkJobItem.client_id).where(BulkJobItem.job_id == run.id)
                    .order_by(BulkJobItem.position)).all() == owing


def test_a_failed_item_keeps_its_reason_and_the_others_are_sent(db, demo_users):
    cancelled = invoice_ids(db, "cancelled", 1)
    paid = invoice_ids(db, "paid", 2)
    job, _ = create(db, demo_users[Role.ACCOUNTANT], BulkJobKind.INVOICE_SEND,
                    invoice_ids=[paid[0], *cancelled, paid[1]])

    assert run_in_process(db, job.id) == BulkJobStatus.DONE

    db.refresh(job)
    assert (job.total, job.done, job.failed) == (3, 2, 1)
    items = db.exec(select(BulkJobItem).where(BulkJobItem.job_id == job.id)
                     .order_by(BulkJobItem.position)).all()
    assert [item.status for item in items] == ["done", "failed", "done"]
    assert items[1].error == "A cancelled invoice cannot be sent."
    sent = db.exec(select(EmailOutbox.invoice_id).where(EmailOutbox.invoice_id.in_(paid + cancelled),
                                                         EmailOutbox.kind == "invoice")).all()
    assert sorted(sent) == sorted(paid)


def test_a_reminder_now_for_a_paid_invoice_is_reported_not_sent(db, demo_users):
    job, _ = create(db, demo_users[Role.ACCOUNTANT], BulkJobKind.REMINDER_SEND,
                    invoice_ids=invoice_ids(db, "paid", 1))

    assert run_in_process(db, job.id) == BulkJobStatus.FAILED

    item = db.exec(select(BulkJobItem).where(BulkJobItem.job_id == job.id)).one()
    assert item.status == BulkItemStatus.FAILED
    assert item.error.startswith("No reminder is due for it today")
    assert db.get(BulkJob, job.id).error.startswith("Every item failed")


def test_a_zip_job_resumed_after_a_restart_renders_only_the_rest(db, demo_users, monkeypatch):
    ids = invoice_ids(db, "paid", 4)
    job, _ = create(db, demo_users[Role.VIEWER], BulkJobKind.PDF_ZIP, invoice_ids=ids)
    first_run = bulk_job_start(db, job_id=job.id)
    for item_id in first_run[:2]:
        bulk_item_run(db, item_id=item_id)  # ...and then the worker died

    rendered = []

    def counted_pdf(session, **kw):
        rendered.append(kw["invoice_id"])
        return invoice_pdf(session, **kw)

    monkeypatch.setattr(work, "invoice_pdf", counted_pdf)
    assert bulk_job_start(db, job_id=job.id) == first_run[2:]
    assert run_in_process(db, job.id) == BulkJobStatus.DONE

    assert rendered == ids[2:]
    db.refresh(job)
    assert (job.done, job.failed, job.result_path) == (4, 0, f"exports/bulk-{job.id}.zip")
    numbers = db.exec(select(Invoice.number).where(Invoice.id.in_(ids)).order_by(Invoice.id)).all()
    with zipfile.ZipFile(get_settings().data_dir / job.result_path) as archive:
        names = archive.namelist()
        assert all(archive.read(name).startswith(b"%PDF-") for name in names)
    assert names == [f"invoice-{number}.pdf" for number in numbers]  # the selection's order


def test_the_sweep_finds_unfinished_jobs_nobody_touched_for_five_minutes(db, demo_users):
    ids = invoice_ids(db, "paid", 1)
    viewer = demo_users[Role.VIEWER]
    queued, _ = create(db, viewer, BulkJobKind.PDF_ZIP, key="queued", invoice_ids=ids)
    running, _ = create(db, viewer, BulkJobKind.PDF_ZIP, key="running", invoice_ids=ids)
    finished, _ = create(db, viewer, BulkJobKind.PDF_ZIP, key="finished", invoice_ids=ids)
    bulk_job_start(db, job_id=running.id)
    run_in_process(db, finished.id)
    mine = {queued.id, running.id, finished.id}

    soon = utcnow() + timedelta(minutes=4)
    later = utcnow() + timedelta(minutes=6)
    assert mine.isdisjoint(bulk_jobs_stale(db, now=soon))
    assert mine & set(bulk_jobs_stale(db, now=later)) == {queued.id, running.id}
