"""Bulk jobs with progress: send, remind now, PDF zip, statement run."""

from billing_app.services.bulk.jobs import (
    KIND_ACTION,
    bulk_item_run,
    bulk_job_create,
    bulk_job_fail,
    bulk_job_finish,
    bulk_job_start,
    bulk_jobs_stale,
    clients_with_balance,
)

__all__ = [
    "KIND_ACTION", "bulk_item_run", "bulk_job_create", "bulk_job_fail", "bulk_job_finish",
    "bulk_job_start", "bulk_jobs_stale", "clients_with_balance",
]
