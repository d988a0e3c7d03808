"""GET /api/v1/health with a real Celery worker on Redis: the heartbeat task the beat sends
every minute makes the worker ok; an old heartbeat is stale, a dead broker is named, both 503."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import delete

from billing_app.api.app import create_api
from billing_app.db import session_scope
from billing_app.models.base import utcnow
from billing_app.models.health import WorkerHeartbeat
from billing_app.services.health import heartbeat_record
from billing_app.settings import get_settings
from billing_app.tasks.schedule import BEAT_SCHEDULE
from tests.support.celery_worker import celery_worker
from tests.support.servers import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def api(pg_url, redis_server, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    get_settings.cache_clear()
    with session_scope() as session:
        session.exec(delete(WorkerHeartbeat))
    with TestClient(create_api(), base_url="http://localhost:8000") as client:
        yield client
    monkeypatch.undo()
    get_settings.cache_clear()


def test_health_is_ok_once_the_worker_has_run_the_heartbeat(api, pg_url, redis_server,
                                                            tmp_path):
    before = api.get("/api/v1/health")
    assert before.status_code == 503
    assert before.json()["checks"]["worker"]["status"] == "failing"
    assert before.json()["error"]["message"] == "Not working: worker."
    schedule = BEAT_SCHEDULE["worker-heartbeat"]
    assert schedule["task"] == "health.heartbeat" and schedule["schedule"].minute == set(range(60))

    with celery_worker(database_url=pg_url, redis_url=redis_server.url, data_dir=tmp_path) as app:
        app.send_task("health.heartbeat").get(timeout=60)

    answer = api.get("/api/v1/health")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "broker": "ok", "worker": "ok"}
    assert 0 <= body["checks"]["worker"]["age_seconds"] < 60


def test_an_old_heartbeat_is_stale_with_its_age(api):
    with session_scope() as session:
        heartbeat_record(session, now=utcnow() - timedelta(minutes=10))

    answer = api.get("/api/v1/health")

    assert answer.status_code == 503
    worker = answer.json()["checks"]["worker"]
    assert worker["status"] == "stale" and 600 <= worker["age_seconds"] < 660


def test_a_dead_broker_is_named_and_its_address_is_not_shown(api, monkeypatch):
    with session_scope() as session:
        heartbeat_record(session)
    port = free_port()
    monkeypatch.setenv("REDIS_URL", f"redis://:hunter2@127.0.0.1:{port}/0")
    get_settings.cache_clear()

    answer = api.get("/api/v1/health")

    assert answer.status_code == 503
    assert answer.json()["checks"]["broker"]["status"] == "failing"
    assert answer.json()["checks"]["database"]["status"] == "ok"
    assert "hunter2" not in answer.text and str(port) not in answer.text
