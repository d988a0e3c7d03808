"""Idempotency keys of the API: the first request with a key does the work, a retry with the
same key and the same request gets the stored answer for 24 hours.

The key is claimed by inserting its row (unique per user and key) in a transaction of its
own before the work starts, so two copies of one request sent at once cannot both do it:
the second finds the row and is told the first is still in progress.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from billing_app.models.idempotency import IdempotencyRecord

KEPT_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Claim:
    """Ours to do (record_id), an answer to give again (replay), or a refusal (problem)."""

    record_id: int | None = None
    replay: IdempotencyRecord | None = None
    problem: tuple[int, str] | None = None  # (HTTP status, message)


def idempotency_claim(session: Session, *, user_id: int, key: str, request_hash: str,
                      now: datetime) -> Claim:
    session.exec(delete(IdempotencyRecord).where(
        IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key,
        IdempotencyRecord.created_at < now - KEPT_FOR))
    record = IdempotencyRecord(user_id=user_id, key=key, request_hash=request_hash, created_at=now)
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
        return Claim(record_id=record.id)
    except IntegrityError:
        pass
    earlier = session.exec(select(IdempotencyRecord).where(
        IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)).one()
    if earlier.request_hash != request_hash:
        return Claim(problem=(422, "This Idempotency-Key was already used for a different request."))
    if earlier.status_code is None:
        return Claim(problem=(409, "A request with this Idempotency-Key is still being processed; "
                                   "try again in a moment."))
    return Claim(replay=earlier)


def idempotency_complete(session: Session, *, record_id: int, status_code: int, body: bytes) -> None:
    record = session.get(IdempotencyRecord, record_id)
    record.status_code, record.response_body = status_code, body
    session.add(record)
    session.flush()


def idempotency_release(session: Session, *, record_id: int) -> None:
    """The work failed on the server's side: a retry with the key may try again."""
    session.exec(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))


def idempotency_redact_answers(session: Session, *, mentioning: Iterable[str],
                               redact: Callable[[Any], Any]) -> int:
    """Stored answers that contain any of the texts get `redact` applied to their JSON; returns
    how many. The row stays, so a retry still gets the first status and does no second create.

    The texts are looked for as the answer holds them (JSON-escaped). LIKE's `%` and `_` in a
    text may find more rows than needed; `redact` leaves those unchanged.
    """
    needles = {form.encode().replace(b"\\", b"\\\\")  # a backslash is LIKE's escape character
               for text in mentioning
               for form in (json.dumps(text, ensure_ascii=False)[1:-1], json.dumps(text)[1:-1])}
    if not needles:
        return 0
    found = session.exec(select(IdempotencyRecord).where(
        or_(*(IdempotencyRecord.response_body.contains(needle) for needle in needles))))
    changed = 0
    for record in found:
        answer = json.loads(record.response_body)
        redacted = redact(answer)
        if redacted != answer:
            record.response_body = json.dumps(redacted, ensure_ascii=False,
                                              separators=(",", ":")).encode()
            session.add(record)
            changed += 1
    session.flush()
    return changed
