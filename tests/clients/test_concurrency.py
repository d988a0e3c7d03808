"""Committed work on a fresh PostgreSQL database: parallel changes of the primary contact."""

import threading

import pytest
from sqlmodel import select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import make_engine, session_scope
from billing_app.models.clients import Contact
from billing_app.services.clients import client_create, contact_make_primary
from tests.conftest import migrate

WORKERS = 6


@pytest.fixture(scope="module")
def fresh(pg_server):
    url = pg_server.create_database("clients_concurrency")
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_parallel_primary_changes_leave_exactly_one_primary(fresh):
    with session_scope(fresh) as session:
        client = client_create(session, actor=SYSTEM_ACTOR, data={"name": "Busy"},
                               contacts=[{"name": f"Contact {n}"} for n in range(WORKERS + 1)])
        contact_ids = session.exec(select(Contact.id).where(Contact.client_id == client.id,
                                                            ~Contact.is_primary)).all()
    start, errors = threading.Barrier(WORKERS), []

    def promote(contact_id: int) -> None:
        start.wait(timeout=30)
        try:
            with session_scope(fresh) as session:
                contact_make_primary(session, actor=SYSTEM_ACTOR, client_id=client.id,
                                     contact_id=contact_id)
        except Exception as error:  # collected: the test shows every failure at once
            errors.append(repr(error))

    threads = [threading.Thread(target=promote, args=(cid,)) for cid in contact_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    with session_scope(fresh) as session:
        primaries = session.exec(select(Contact.id).where(Contact.client_id == client.id,
                                                          Contact.is_primary)).all()
    assert len(primaries) == 1 and primaries[0] in contact_ids
