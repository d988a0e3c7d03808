"""Reads of bulk jobs: a user's recent jobs with their progress and failures, and a job's zip."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import NotFound
from billing_app.models.bulk import BulkItemStatus, BulkJob, BulkJobItem, BulkJobKind
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.services.bulk.archive import result_file

RECENT = 10
FAILURES_SHOWN = 50


@dataclass(frozen=True)
class BulkFailure:
    target: str  # "INV-2026-00042", "Draft #12" or the client's name
    reason: str


@dataclass(frozen=True)
class BulkJobView:
    id: int
    kind: BulkJobKind
    status: str
    total: int
    done: int
    failed: int
    created_at: datetime
    finished_at: datetime | None
    date_from: date | None
    date_to: date | None
    has_result: bool
    error: str | None
    failures: list[BulkFailure]  # the first FAILURES_SHOWN, in the selection's order


def _failures(session: Session, job_ids: list[int]) -> dict[int, list[BulkFailure]]:
    rows = session.exec(
        select(BulkJobItem.job_id, BulkJobItem.error, Invoice.id, Invoice.number, Client.name)
        .outerjoin(Invoice, Invoice.id == BulkJobItem.invoice_id)
        .outerjoin(Client, Client.id == BulkJobItem.client_id)
        .where(BulkJobItem.job_id.in_(job_ids), BulkJobItem.status == BulkItemStatus.FAILED)
        .order_by(BulkJobItem.job_id, BulkJobItem.position)
    ).all()
    failures: dict[int, list[BulkFailure]] = {job_id: [] for job_id in job_ids}
    for job_id, error, invoice_id, number, client_name in rows:
        if len(failures[job_id]) < FAILURES_SHOWN:
            target = client_name if invoice_id is None else (number or f"Draft #{invoice_id}")
            failures[job_id].append(BulkFailure(target, error or ""))
    return failures


def bulk_jobs_recent(session: Session, *, actor: User, limit: int = RECENT) -> list[BulkJobView]:
    """The actor's own latest jobs, newest first, with the reason of each failed item."""
    require(actor, Action.INVOICES_READ)
    jobs = session.exec(select(BulkJob).where(BulkJob.created_by_id == actor.id)
                        .order_by(BulkJob.created_at.desc(), BulkJob.id.desc())
                        .limit(min(max(limit, 1), 50))).all()
    failures = _failures(session, [job.id for job in jobs])
    return [BulkJobView(job.id, BulkJobKind(job.kind), job.status, job.total, job.done, job.failed,
                        job.created_at, job.finished_at, job.date_from, job.date_to,
                        job.result_path is not None, job.error, failures[job.id])
            for job in jobs]


def bulk_job_zip(session: Session, *, actor: User, job_id: int) -> Path:
    """The finished zip of a job, for its creator or any staff member (who may read every
    invoice in it anyway); a client user never gets one."""
    require(actor, Action.INVOICES_READ)
    job = session.get(BulkJob, job_id)
    path = result_file(job.result_path) if job is not None and job.result_path else None
    if path is None:
        raise NotFound("That bulk job has no zip to download (yet).")
    return path
