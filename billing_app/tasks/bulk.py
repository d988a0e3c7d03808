"""Bulk jobs on the worker: one transaction per item, so progress is committed as it goes."""

import logging

from celery import shared_task

from billing_app.db import session_scope
from billing_app.services.bulk import (
    bulk_item_run,
    bulk_job_fail,
    bulk_job_finish,
    bulk_job_start,
    bulk_jobs_stale,
)

logger = logging.getLogger(__name__)


@shared_task(name="bulk.run_job", acks_late=True)
def run_bulk_job(job_id: int) -> str:
    """Work through the job's pending items and close it; safe to run again at any point."""
    with session_scope() as session:
        pending = bulk_job_start(session, job_id=job_id)
    for item_id in pending:
        with session_scope() as session:
            bulk_item_run(session, item_id=item_id)
    try:
        with session_scope() as session:
            return bulk_job_finish(session, job_id=job_id)
    except OSError as error:  # the zip could not be written (disk full, permissions)
        logger.exception("bulk job %s: could not finish", job_id)
        with session_scope() as session:
            bulk_job_fail(session, job_id=job_id, reason=f"The result could not be saved: {error.strerror}.")
        return "failed"


@shared_task(name="bulk.resume_stale")
def resume_stale_jobs() -> int:
    """Queue again the jobs whose task was lost (worker killed, broker down at the time)."""
    with session_scope() as session:
        stale = bulk_jobs_stale(session)
    for job_id in stale:
        run_bulk_job.delay(job_id)
    return len(stale)
