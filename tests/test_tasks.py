"""Celery tasks on a real worker process: Redis in production, embedded SQLite broker locally."""

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from celery import Celery
from sqlmodel import delete, select

from billing_app.db import session_scope
from billing_app.models.base import utcnow
from billing_app.models.users import Role, User, UserSession
from billing_app.tasks.celery_app import celery_app
from billing_app.tasks.sessions import purge_expired_sessions
from tests.support.celery_worker import celery_worker

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["redis", "sqlite"])
def worker(request, pg_url, tmp_path_factory) -> Iterator[Celery]:
    """A running worker and a client app on the same broker, made the current app."""
    redis_url = request.getfixturevalue("redis_server").url if request.param == "redis" else None
    with celery_worker(database_url=pg_url, redis_url=redis_url,
                       data_dir=tmp_path_factory.mktemp(f"celery-{request.param}")) as client:
        yield client


@pytest.fixture
def user_sessions(pg_url) -> Iterator[dict[str, int]]:
    """Committed sessions of a new user: one ended two days ago, one still open."""
    now = utcnow()
    with session_scope() as session:
        user = User(email=f"tasks-{uuid.uuid4().hex}@example.com", name="Task Test",
                    role=Role.VIEWER, password_hash="!")
        session.add(user)
        session.flush()
        rows = {
            name: UserSession(token_hash=uuid.uuid4().hex, user_id=user.id,
                              last_seen_at=expires_at - timedelta(hours=12), expires_at=expires_at)
            for name, expires_at in (("expired", now - timedelta(days=2)),
                                     ("live", now + timedelta(hours=1)))
        }
        session.add_all(rows.values())
        session.flush()
        ids = {name: row.id for name, row in rows.items()} | {"user": user.id}
    yield ids
    with session_scope() as session:
        session.exec(delete(UserSession).where(UserSession.user_id == ids["user"]))
        session.exec(delete(User).where(User.id == ids["user"]))


def test_purge_expired_sessions_on_a_real_worker(worker, user_sessions):
    result = purge_expired_sessions.delay()

    assert result.get(timeout=60) >= 1
    with session_scope() as session:
        remaining = session.exec(
            select(UserSession.id).where(UserSession.user_id == user_sessions["user"])
        ).all()
    assert remaining == [user_sessions["live"]]


@pytest.mark.parametrize("worker", ["redis"], indirect=True)
def test_worker_registers_every_scheduled_task(worker):
    replies = None
    for _ in range(60):
        replies = worker.control.inspect(timeout=1).registered()
        if replies:
            break
    assert replies, "the worker never answered"
    (registered,) = replies.values()
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}

    assert "sessions.purge_expired" in scheduled
    assert scheduled <= set(registered)


def test_sessions_are_purged_hourly():
    schedule = celery_app.conf.beat_schedule["purge-expired-sessions"]["schedule"]

    assert schedule.minute == {0}
    assert schedule.hour == set(range(24))
    assert schedule.day_of_month == set(range(1, 32))
