"""What an attacker (or a test) can do with the app's websocket: call any State handler.

Reflex 0.10 sends no end-of-event marker, so an event counts as answered once its first
answer has arrived and the connection has then been quiet for a moment.
"""

import json
import threading
from collections.abc import Callable
import time
import uuid

import httpx
import socketio

from billing_app.settings import get_settings
from billing_app.demo.catalog import PASSWORD as DEMO_PASSWORD

ANSWER_TIMEOUT = 15.0  # seconds to wait for the first answer to an event
QUIET = 0.4  # seconds without a message after which an answered event is done


def session_cookie(app_url: str, email: str) -> str:
    response = httpx.post(f"{app_url}/auth/login", data={"email": email, "password": DEMO_PASSWORD},
                          follow_redirects=False)
    assert response.status_code == 303
    name = get_settings().session_cookie_name
    return f"{name}={response.cookies[name]}"


class _Answers:
    """Messages as they arrive, and a wait for the quiet period after the latest one."""

    def __init__(self) -> None:
        self.messages: list = []
        self._arrived = threading.Condition()
        self._last_at = 0.0

    def add(self, message) -> None:
        with self._arrived:
            self.messages.append(message)
            self._last_at = time.monotonic()
            self._arrived.notify_all()

    def wait_for_answer(self, since: int, until: Callable[[list], bool] | None = None) -> None:
        """Until the answers since `since` satisfy `until`, or by default: the first answer, then
        quiet (a slow event may pause longer than QUIET between its answers: give `until`)."""
        deadline = time.monotonic() + ANSWER_TIMEOUT
        with self._arrived:
            if until is not None:
                while not until(self.messages[since:]) and time.monotonic() < deadline:
                    self._arrived.wait(deadline - time.monotonic())
                return
            while len(self.messages) == since and time.monotonic() < deadline:
                self._arrived.wait(deadline - time.monotonic())
            while len(self.messages) > since and time.monotonic() - self._last_at < QUIET:
                self._arrived.wait(QUIET)


def send_events(app_url: str, cookie: str | None, events: list[tuple[str, dict]], *, state,
                pathname: str, token: str | None = None,
                until: Callable[[list], bool] | None = None) -> list:
    """Emit events one after another on one connection, as a browser would; collect the answers.

    `token`: the Reflex client token to connect with (a browser tab keeps its own); new if None.
    """
    named = [(f"{state.get_full_name()}.{handler}", payload) for handler, payload in events]
    return [message for answers in send_named_events(app_url, cookie, named, pathname=pathname,
                                                      token=token, until=until) for message in answers]


def send_named_events(app_url: str, cookie: str | None, events: list[tuple[str, dict]], *,
                      pathname: str, token: str | None = None,
                      until: Callable[[list], bool] | None = None,
                      batch: bool = False) -> list[list]:
    """Like send_events, for events of any States ("<state full name>.<handler>"); returns the
    answers to each event apart. `until(answers)`: when an event's answers are complete.

    `batch`: emit all events at once (the server runs them in order) and wait, with `until`,
    for the answers of all of them; returns them as one list."""
    answers = _Answers()
    per_event = []
    client = socketio.Client()
    client.on("event", lambda data: answers.add(data if isinstance(data, dict) else json.loads(data)),
              namespace="/_event")
    client.connect(
        f"{app_url}?token={token or uuid.uuid4()}",
        socketio_path="/_event",
        namespaces=["/_event"],
        transports=["websocket"],
        headers={"Cookie": cookie} if cookie else {},
    )
    try:
        for name, payload in events:
            since = len(answers.messages)
            client.emit("event", {"name": name, "payload": payload,
                                  "router_data": {"pathname": pathname, "query": {}}},
                        namespace="/_event")
            if not batch:
                answers.wait_for_answer(since, until)
                per_event.append(answers.messages[since:])
        if batch:
            answers.wait_for_answer(0, until)
            per_event.append(answers.messages[:])
    finally:
        client.disconnect()
    return per_event


def send_event(app_url: str, cookie: str | None, handler: str, payload: dict, **where) -> list:
    return send_events(app_url, cookie, [(handler, payload)], **where)
