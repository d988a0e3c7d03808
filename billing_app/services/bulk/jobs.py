"""Bulk jobs: made once per request key, worked through item by item, finished with a result.

The Celery task (the edge) calls `bulk_job_start`, then `bulk_item_run` for each pending item in
its own transaction, then `bulk_job_finish`. Each item's outcome and the job's counters are
committed together, so progress is never lost or counted twice, and a task that runs again
(a restarted worker, the sweep) only does what is still pending.
"""

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, literal_column, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.errors import BillingError, NotFound, ValidationFailed
from billing_app.models.base import utcnow
from billing_app.models.bulk import BulkItemStatus, BulkJob, BulkJobItem, BulkJobKind, BulkJobStatus
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.bulk.archive import build_zip
from billing_app.services.bulk.work import item_work

logger = logging.getLogger(__name__)

MAX_ITEMS = 5000
"""More than a finance team selects by hand; a bigger run is a statement run or a script."""
STALE_AFTER = timedelta(minutes=5)
"""A job unfinished and untouched this long lost its worker (or its message): queue it again."""

KIND_ACTION: dict[BulkJobKind, Action] = {
    # A zip only reads invoices: a viewer may download it. The rest emails clients in the
    # company's name, as the one-at-a-time send does.
    BulkJobKind.PDF_ZIP: Action.INVOICES_READ,
    BulkJobKind.INVOICE_SEND: Action.EMAILS_SEND,
    BulkJobKind.REMINDER_SEND: Action.EMAILS_SEND,
    BulkJobKind.STATEMENT_RUN: Action.EMAILS_SEND,
}
FINISHED = (BulkJobStatus.DONE, BulkJobStatus.FAILED)
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _kind(kind: BulkJobKind | str) -> BulkJobKind:
    try:
        return BulkJobKind(kind)
    except ValueError:
        raise ValidationFailed("Unknown kind of bulk job.", field="kind") from None


def _invoice_targets(session: Session, invoice_ids: Sequence[int]) -> list[int]:
    chosen = list(dict.fromkeys(invoice_ids))  # the selection's order, each invoice once
    if not chosen:
        raise ValidationFailed("Select at least one invoice first.", field="invoice_ids")
    if len(chosen) > MAX_ITEMS:
        raise ValidationFailed(f"Select at most {MAX_ITEMS:,} invoices for one job.",
                               field="invoice_ids")
    existing = set(session.exec(select(Invoice.id).where(Invoice.id.in_(chosen))).all())
    missing = len(chosen) - len(existing)
    if missing:
        raise ValidationFailed(f"{missing} of the selected invoices no longer exist; "
                               "reload the list and select again.", field="invoice_ids")
    return chosen


def clients_with_balance(session: Session) -> list[int]:
    """Clients who owe something on open invoices, by name: the statement run's recipients."""
    owing = (select(Invoice.client_id)
             .where(Invoice.status.in_([literal_column(f"'{s.value}'") for s in OPEN_STATUSES]),
                    Invoice.balance_due > 0)
             .distinct())
    return list(session.exec(select(Client.id).where(Client.id.in_(owing))
                             .order_by(Client.name, Client.id)).all())


def _existing(session: Session, actor: User, request_key: str) -> BulkJob | None:
    return session.exec(select(BulkJob).where(BulkJob.created_by_id == actor.id,
                                              BulkJob.request_key == request_key)).first()


def bulk_job_create(session: Session, *, actor: User, kind: BulkJobKind | str, request_key: str,
                    today: date, invoice_ids: Sequence[int] = (), date_from: date | None = None,
                    date_to: date | None = None) -> tuple[BulkJob, bool]:
    """A queued job and whether it is new. The same actor and request key give the job made
    the first time (a double click, a resent message) instead of a second one."""
    kind = _kind(kind)
    require(actor, KIND_ACTION[kind])
    request_key = (request_key or "").strip()
    if not 1 <= len(request_key) <= 100:
        raise ValidationFailed("A bulk job needs a request key of 1 to 100 characters.",
                               field="request_key")
    existing = _existing(session, actor, request_key)
    if existing is not None:
        return existing, False
    if kind == BulkJobKind.STATEMENT_RUN:
        if date_from is None or date_to is None or date_from > date_to:
            raise ValidationFailed("Give the statements' period: a start date on or before "
                                   "the end date.", field="date_from")
        targets = {"client_id": clients_with_balance(session)}
        if not targets["client_id"]:
            raise ValidationFailed("No client owes anything: there is no statement to send.")
    else:
        targets = {"invoice_id": _invoice_targets(session, invoice_ids)}
        date_from = date_to = None
    ((column, ids),) = targets.items()
    # ON CONFLICT DO NOTHING: a concurrent twin with this key waits for ours, then adds nothing
    insert = _INSERT[session.get_bind().dialect.name](BulkJob.__table__).values(
        kind=kind, status=BulkJobStatus.QUEUED, request_key=request_key, total=len(ids), done=0,
        failed=0, today=today, date_from=date_from, date_to=date_to, created_by_id=actor.id,
        created_at=utcnow())
    job_id = session.execute(insert.on_conflict_do_nothing()
                             .returning(BulkJob.__table__.c.id)).scalar_one_or_none()
    if job_id is None:
        return _existing(session, actor, request_key), False
    job = session.get(BulkJob, job_id)
    session.add_all(BulkJobItem(job_id=job.id, position=position, **{column: target_id})
                    for position, target_id in enumerate(ids))
    audit_record(session, actor=actor, action="bulk_job.create", entity_type="bulk_job",
                 entity_id=job.id, details={"kind": kind.value, "total": job.total})
    session.flush()
    return job, True


def _touch(session: Session, job_id: int, **counts: int) -> None:
    """Add to the job's counters in the database itself, so two runs never lose an update."""
    values = {name: getattr(BulkJob, name) + amount for name, amount in counts.items()}
    session.execute(update(BulkJob).where(BulkJob.id == job_id)
                    .values(heartbeat_at=utcnow(), **values))


def bulk_job_start(session: Session, *, job_id: int) -> list[int]:
    """Mark the job running and return the ids of its pending items, in order (none when the
    job is finished: a redelivered task then does nothing)."""
    job = session.get(BulkJob, job_id, with_for_update=True)
    if job is None:
        raise NotFound("That bulk job does not exist.")
    if job.status in FINISHED:
        return []
    now = utcnow()
    job.status = BulkJobStatus.RUNNING
    job.started_at = job.started_at or now
    job.heartbeat_at = now
    session.add(job)
    session.flush()
    return list(session.exec(select(BulkJobItem.id)
                             .where(BulkJobItem.job_id == job_id,
                                    BulkJobItem.status == BulkItemStatus.PENDING)
                             .order_by(BulkJobItem.position)).all())


def bulk_item_run(session: Session, *, item_id: int) -> BulkItemStatus | None:
    """Do one item's work as the job's creator and record the outcome with the job's counters.

    The item row is locked and re-read first (another run may hold or have done it: then
    nothing happens and None is returned). The work runs in a savepoint: when it fails, what
    it wrote is undone and the item keeps the reason.
    """
    item = session.exec(select(BulkJobItem).where(BulkJobItem.id == item_id)
                        .with_for_update(skip_locked=True)).first()
    if item is None or item.status != BulkItemStatus.PENDING:
        return None
    job = session.get(BulkJob, item.job_id)
    actor = session.get(User, job.created_by_id)
    # A write before the savepoint: it marks the job alive for the sweep, and on SQLite it
    # opens the transaction (pysqlite begins one only before a write) that the savepoint nests in.
    _touch(session, job.id)
    try:
        with session.begin_nested():
            item_work(session, job=job, item=item, actor=actor)
        item.status, item.error = BulkItemStatus.DONE, None
    except BillingError as error:
        item.status, item.error = BulkItemStatus.FAILED, error.message
    except Exception:  # one broken item must not stop the other 999
        logger.exception("bulk job %s: item %s failed", job.id, item.id)
        item.status = BulkItemStatus.FAILED
        item.error = "An unexpected error stopped this one; the details are in the worker's log."
    item.finished_at = utcnow()
    session.add(item)
    _touch(session, job.id, **{"done" if item.status == BulkItemStatus.DONE else "failed": 1})
    session.flush()
    return item.status


def bulk_job_finish(session: Session, *, job_id: int) -> BulkJobStatus:
    """Close the job once no item is pending: a zip job builds its archive now.

    While another run still holds items, the job stays running and that run closes it.
    """
    job = session.get(BulkJob, job_id, with_for_update=True)
    if job.status in FINISHED:
        return job.status
    pending = session.exec(select(func.count()).select_from(BulkJobItem)
                           .where(BulkJobItem.job_id == job_id,
                                  BulkJobItem.status == BulkItemStatus.PENDING)).one()
    if pending:
        return job.status
    session.refresh(job)  # the counters were added to in SQL
    if job.kind == BulkJobKind.PDF_ZIP and job.done:
        job.result_path = build_zip(job.id)
    job.status = BulkJobStatus.FAILED if job.total and not job.done else BulkJobStatus.DONE
    if job.status == BulkJobStatus.FAILED:
        job.error = "Every item failed; the reasons are listed below."
    job.finished_at = utcnow()
    session.add(job)
    session.flush()
    return job.status


def bulk_job_fail(session: Session, *, job_id: int, reason: str) -> None:
    """The job itself could not go on (not one item: those fail on their own)."""
    job = session.get(BulkJob, job_id, with_for_update=True)
    if job is None or job.status in FINISHED:
        return
    job.status, job.error, job.finished_at = BulkJobStatus.FAILED, reason, utcnow()
    session.add(job)
    session.flush()


def bulk_jobs_stale(session: Session, *, now: datetime | None = None) -> list[int]:
    """Unfinished jobs nobody has worked on for a while (their task was lost), oldest first."""
    cutoff = (now or utcnow()) - STALE_AFTER
    last_seen = func.coalesce(BulkJob.heartbeat_at, BulkJob.created_at)
    return list(session.exec(select(BulkJob.id)
                             .where(BulkJob.status.in_([BulkJobStatus.QUEUED, BulkJobStatus.RUNNING]),
                                    last_seen < cutoff)
                             .order_by(BulkJob.id)).all())
