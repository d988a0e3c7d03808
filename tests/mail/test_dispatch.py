"""The send task is queued only after commit: counted on a Redis database no worker reads."""

import pytest
import redis

from billing_app.db import session_scope
from billing_app.mail.outbox import outbox_add
from billing_app.models.messaging import EmailOutbox
from billing_app.settings import get_settings


@pytest.fixture
def idle_broker(mail_stack, redis_server, monkeypatch) -> redis.Redis:
    url = redis_server.url.rsplit("/", 1)[0] + "/7"
    monkeypatch.setenv("REDIS_URL", url)
    get_settings.cache_clear()
    broker = redis.Redis.from_url(url)
    broker.flushdb()
    yield broker
    monkeypatch.undo()
    get_settings.cache_clear()


def queued_tasks(broker: redis.Redis) -> int:
    return broker.llen("celery")


def add_email(session, n: int) -> int:
    return outbox_add(session, to_address=f"r{n}@fjord.example", subject="S", body_text="T\n",
                      body_html=None, kind="test").id


def test_a_commit_queues_one_task_per_email_and_a_rollback_none(idle_broker):
    with pytest.raises(RuntimeError), session_scope() as session:
        add_email(session, 1)
        session.flush()
        assert queued_tasks(idle_broker) == 0  # not before commit
        raise RuntimeError("the cause of the email failed")
    assert queued_tasks(idle_broker) == 0

    with session_scope() as session:
        add_email(session, 2)
        add_email(session, 3)
        assert queued_tasks(idle_broker) == 0
    assert queued_tasks(idle_broker) == 2


def test_a_broker_that_is_down_loses_nothing_but_the_task(mail_stack, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens there
    get_settings.cache_clear()
    try:
        with session_scope() as session:
            email_id = add_email(session, 4)  # the commit succeeds; the sweep sends it later
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    with session_scope() as session:
        assert session.get(EmailOutbox, email_id).status == "queued"
