"""Structured logs: JSON lines carrying the request's id (given or made) and user id, with no
password, token or cookie in them, even when a sign-in fails; and the rotating file."""

import asyncio
import io
import json
import logging
import re
import threading

import httpx
import pytest
import uvicorn
from granian.log import LogLevels
from granian.log import configure_logging as granian_configure_logging
from reflex.event import Event
from reflex.state import State

from billing_app.auth.sessions import session_open
from billing_app.billing_app import app as reflex_app  # as `reflex run` loads it
from billing_app.db import session_scope
from billing_app.log_setup import configure_logging
from billing_app.settings import get_settings
from billing_app.ui.states.auth import AuthState
from tests.security.conftest import new_user, token_for
from tests.support.factories import PASSWORD
from tests.support.servers import free_port, wait_for_port

WRONG_PASSWORD = "my-very-wrong-guess-4711"


@pytest.fixture
def log_lines(app):
    """The JSON lines logged while the test runs (parsed), then stdout again."""
    stream = io.StringIO()
    configure_logging(stream)
    lines = []

    def read() -> list[dict]:
        lines[:] = [json.loads(line) for line in stream.getvalue().splitlines()]
        return lines

    yield read
    configure_logging()


def test_a_failed_sign_in_logs_its_request_id_and_no_password(app, log_lines):
    user = new_user()

    failed = app.post("/api/v1/auth/token", json={"email": user.email, "password": WRONG_PASSWORD},
                      headers={"X-Request-ID": "req-4711"})
    signed_in = app.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    access = signed_in.json()["access_token"]
    me = app.get("/api/v1/users/me", headers={"Authorization": f"Bearer {access}"})

    assert failed.status_code == 401 and failed.headers["X-Request-ID"] == "req-4711"
    made_id = me.headers["X-Request-ID"]
    assert len(made_id) == 32 and made_id != signed_in.headers["X-Request-ID"]
    lines = log_lines()
    assert {"timestamp", "level", "logger", "message", "request_id", "user_id"} <= set(lines[0])
    of_failure = [line for line in lines if line["request_id"] == "req-4711"]
    assert [line["logger"] for line in of_failure] == ["billing_app.services.sign_in",
                                                       "billing_app.http"]
    assert of_failure[0]["level"] == "WARNING" and user.email in of_failure[0]["message"]
    assert of_failure[1]["status"] == 401 and of_failure[1]["path"] == "/api/v1/auth/token"
    (of_me,) = [line for line in lines if line["request_id"] == made_id]
    assert of_me["user_id"] == str(user.id)
    text = json.dumps(lines)
    for secret in (WRONG_PASSWORD, PASSWORD, access, signed_in.json()["refresh_token"]):
        assert secret not in text


def test_secrets_written_into_messages_or_fields_are_blanked(app, log_lines):
    jwt = token_for(app, new_user().email).json()["access_token"]
    log = logging.getLogger("billing_app.test")

    log.warning("retrying with password=%s and Authorization: Bearer %s", "hunter2hunter2", jwt)
    log.warning("connecting to redis://:s3cr3t@cache:6379/0 with %s", {"token": "abc123"})
    log.info("login", extra={"password": "hunter2hunter2", "session_cookie": "zzz", "path": "/x"})

    lines = log_lines()[-3:]
    assert "hunter2hunter2" not in json.dumps(lines) and jwt not in json.dumps(lines)
    assert "s3cr3t" not in lines[1]["message"] and "abc123" not in lines[1]["message"]
    assert lines[2]["password"] == lines[2]["session_cookie"] == "[redacted]"
    assert lines[2]["path"] == "/x"


def test_the_file_log_rotates_under_the_data_directory(app, monkeypatch):
    monkeypatch.setenv("LOG_TO_FILE", "true")
    get_settings.cache_clear()
    configure_logging(io.StringIO())
    try:
        logging.getLogger("billing_app.test").warning("to the file")
        handlers = [h for h in logging.getLogger().handlers if getattr(h, "_billing_app", False)]
        for handler in handlers:
            handler.flush()
        path = get_settings().data_dir / "logs" / "billing.log"
        last = json.loads(path.read_text().splitlines()[-1])
        assert last["message"] == "to the file"
        assert any(getattr(h, "maxBytes", 0) == 10_000_000 for h in handlers)
    finally:
        monkeypatch.delenv("LOG_TO_FILE")
        get_settings.cache_clear()
        configure_logging()


RESET_LINK = "/reset-password?token=reset-4711-secret&code=493817&sig=f00d"


def test_the_servers_access_lines_are_left_to_our_request_log(app, log_lines, capsys):
    """uvicorn and granian would print the whole address, query string and all, in their own
    format; they configure their loggers after the app did (as here). Only our JSON line is
    written, without the query string, and a link quoted in a message loses its secrets."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app.app, host="127.0.0.1", port=port, log_level="info",
                                           lifespan="off"))  # access lines on, as by default
    granian_configure_logging(LogLevels.info)  # what a granian worker does
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for_port(port)
        answer = httpx.get(f"http://127.0.0.1:{port}{RESET_LINK}")
        logging.getLogger("granian.access").info('127.0.0.1 - "GET %s HTTP/1.1" 200', RESET_LINK)
        logging.getLogger("billing_app.test").warning("mailed http://localhost%s", RESET_LINK)
    finally:
        server.should_exit = True
        thread.join(timeout=10)

    printed = capsys.readouterr()
    lines = log_lines()
    (request,) = [line for line in lines if line["logger"] == "billing_app.http"]
    assert request["path"] == "/reset-password"
    assert request["request_id"] == answer.headers["X-Request-ID"]
    (mailed,) = [line for line in lines if line["logger"] == "billing_app.test"]
    assert mailed["message"] == ("mailed http://localhost/reset-password?token=[redacted]"
                                 "&code=[redacted]&sig=[redacted]")
    for secret in ("reset-4711-secret", "493817", "f00d"):
        assert secret not in printed.out + printed.err + json.dumps(lines)


def test_a_websocket_events_log_lines_carry_an_id_and_the_user(app, log_lines):
    """As Reflex 0.10 runs an event: in a task of its own, the app's middleware, then the
    handler. Each event gets its own id; nothing is left behind after it."""
    user = new_user()
    with session_scope() as db:
        token = session_open(db, user)
    tab = State(_reflex_internal_init=True)
    tab._update_router_vars({"headers": {"cookie": f"{get_settings().session_cookie_name}={token}"}}, {})
    log = logging.getLogger("billing_app.test")

    async def event(name: str) -> None:
        called = Event(name=f"{AuthState.get_full_name()}.load_identity")
        assert await reflex_app._preprocess(tab, called) is None
        log.warning("handling %s", name)

    async def two_events() -> None:
        await asyncio.create_task(event("first"))
        await asyncio.create_task(event("second"))
        log.warning("between events")

    asyncio.run(two_events())
    first, second, between = [line for line in log_lines() if line["logger"] == "billing_app.test"]
    assert re.fullmatch(r"[0-9a-f]{32}", first["request_id"] or "")
    assert second["request_id"] not in (None, first["request_id"])
    assert first["user_id"] == second["user_id"] == str(user.id)
    assert between["request_id"] is None and between["user_id"] is None
