"""Bulk jobs in the browser: start one, watch its progress, fetch its result.

The progress lives in the database (the worker writes it), so it survives leaving the page:
any page showing the jobs panel reads it again on load, and while a job runs a background
event re-reads it every second and pushes the change to the browser.
"""

import asyncio
import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.models.bulk import BulkJobKind
from billing_app.queries.bulk import BulkJobView, bulk_jobs_recent
from billing_app.queries.company import company_today
from billing_app.services.bulk import KIND_ACTION, bulk_job_create
from billing_app.tasks.bulk import run_bulk_job
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.date_filters import checked_date, day

KIND_LABELS = {
    BulkJobKind.INVOICE_SEND: "Send invoices",
    BulkJobKind.REMINDER_SEND: "Send reminders now",
    BulkJobKind.PDF_ZIP: "Download PDFs (zip)",
    BulkJobKind.STATEMENT_RUN: "Statement run",
}
STATUS_LABELS = {"queued": "Queued", "running": "Running", "done": "Finished", "failed": "Failed"}
POLL_SECONDS = 1.0
LATEST = 2  # jobs shown beside a list; the jobs page shows more
MAX_POLLS = 3600  # an hour of watching; the jobs page reads the rest when opened again


@dataclasses.dataclass
class JobRow:
    id: str = ""
    title: str = ""  # "Download PDFs (zip) · 50 invoices"
    status: str = ""
    status_label: str = ""
    active: bool = False
    percent: int = 0  # of the items tried, done or failed
    progress: str = ""  # "30 of 50 done · 2 failed"
    started: str = ""
    download_href: str = ""
    error: str = ""
    failures: list[dict[str, str]] = dataclasses.field(default_factory=list)  # target, reason
    more_failures: str = ""


def _title(job: BulkJobView) -> str:
    if job.kind == BulkJobKind.STATEMENT_RUN:
        period = f"{job.date_from.isoformat()} to {job.date_to.isoformat()}"
        return f"{KIND_LABELS[job.kind]} · {job.total:,} clients · {period}"
    return f"{KIND_LABELS[job.kind]} · {job.total:,} invoice{'' if job.total == 1 else 's'}"


def job_row(job: BulkJobView) -> JobRow:
    tried = job.done + job.failed
    active = job.status in ("queued", "running")
    progress = f"{job.done:,} of {job.total:,} done" + (f" · {job.failed:,} failed" if job.failed else "")
    if active and job.total and tried == job.total:
        progress += " · finishing"
    shown = len(job.failures)
    return JobRow(
        id=str(job.id), title=_title(job), status=job.status,
        status_label=STATUS_LABELS.get(job.status, job.status), active=active,
        percent=round(100 * tried / job.total) if job.total else 100, progress=progress,
        started=job.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        download_href=f"/downloads/bulk-jobs/{job.id}.zip" if job.has_result else "",
        error=job.error or "",
        failures=[{"target": f.target, "reason": f.reason} for f in job.failures],
        more_failures=f"and {job.failed - shown:,} more" if job.failed > shown else "",
    )


def new_request_key() -> str:
    """A form's token: every start from the same form state names the same job."""
    return uuid.uuid4().hex


class BulkJobsState(AuthState):
    jobs: list[JobRow] = []
    can_send: bool = False
    statement_from: str = ""
    statement_to: str = ""
    date_errors: dict[str, str] = {}
    _statement_key: str = ""
    _watcher: str = ""  # the one background loop allowed to poll (a newer one takes over)

    @rx.var
    def any_active(self) -> bool:
        return any(job.active for job in self.jobs)

    @rx.var
    def latest_jobs(self) -> list[JobRow]:
        return self.jobs[:LATEST]

    def _refresh(self) -> bool:
        """Read the jobs again; whether one of them is still running."""
        result, error = self._run(Action.INVOICES_READ,
                                  lambda db, actor: bulk_jobs_recent(db, actor=actor))
        if error:
            self.jobs = []
            return False
        self.jobs = [job_row(job) for job in result]
        return self.any_active

    @rx.event
    def load(self):
        self.can_send = can(self.user_role, Action.EMAILS_SEND)
        if not self.statement_to:
            today = self._today()
            self.statement_from, self.statement_to = today.replace(day=1).isoformat(), today.isoformat()
        self._statement_key = new_request_key()  # one run per opened form, however often clicked
        return self._show()

    def _show(self):
        return BulkJobsState.watch if self._refresh() else None

    @rx.event
    def show_jobs(self):
        """Read the jobs again, and watch them while one runs."""
        return self._show()

    @rx.event(background=True)
    async def watch(self):
        """Re-read the jobs every second while one runs (one loop per browser tab)."""
        me = uuid.uuid4().hex
        async with self:
            self._watcher = me
        for _ in range(MAX_POLLS):
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if self._watcher != me or not self._refresh():
                    return

    @rx.event
    def set_statement_date(self, name: str, value: str):
        if name not in ("statement_from", "statement_to"):
            return
        text, self.date_errors = checked_date(value, name, self.date_errors)
        if text is not None:
            setattr(self, name, text)
            self._statement_key = new_request_key()

    @rx.event
    def start_statement_run(self):
        if self.date_errors:
            return rx.toast.error("Correct the dates first.")
        return start_job(self, BulkJobKind.STATEMENT_RUN, self._statement_key,
                         date_from=day(self.statement_from), date_to=day(self.statement_to))


def start_job(state: AuthState, kind: BulkJobKind, request_key: str, *, invoice_ids: Sequence[int] = (),
              date_from: date | None = None, date_to: date | None = None):
    """Make the job (or find the one this form made already), queue it after the commit, and
    have the jobs panel watch it. Returns the events for the handler to return."""

    def create(db, actor):
        return bulk_job_create(db, actor=actor, kind=kind, request_key=request_key,
                               today=company_today(db), invoice_ids=invoice_ids,
                               date_from=date_from, date_to=date_to)

    result, error = state._run(KIND_ACTION[kind], create)
    if error:
        return rx.toast.error(error.message)
    job, created = result
    if not created:
        return [rx.toast.info("This job was started already; see its progress under Bulk jobs."),
                BulkJobsState.show_jobs]
    try:
        run_bulk_job.delay(job.id)
    except Exception:  # broker down: the job stays queued and the beat sweep starts it
        return [rx.toast.warning("The job is queued and starts as soon as the worker is reachable."),
                BulkJobsState.show_jobs]
    return [rx.toast.success(f"Started: {KIND_LABELS[kind]} for {job.total:,} "
                             f"{'clients' if kind == BulkJobKind.STATEMENT_RUN else 'invoices'}."),
            BulkJobsState.show_jobs]

