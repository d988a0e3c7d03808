"""What an attacker would do: call a write handler over the websocket without the rights."""

import json
import threading
import uuid

import httpx
import pytest
import socketio
from sqlmodel import Session, select

from billing_app.models.users import User
from billing_app.settings import get_settings
from billing_app.ui.states.users import UsersState
from tests.browser.conftest import DEMO_PASSWORD


def session_cookie(app_url: str, email: str) -> str:
    response = httpx.post(f"{app_url}/auth/login", data={"email": email, "password": DEMO_PASSWORD},
                          follow_redirects=False)
    assert response.status_code == 303
    name = get_settings().session_cookie_name
    return f"{name}={response.cookies[name]}"


def send_event(app_url: str, cookie: str | None, handler: str, payload: dict) -> list:
    """Emit one event as a browser would and collect the server's answers."""
    answers: list = []
    done = threading.Event()
    client = socketio.Client()

    @client.on("event", namespace="/_event")
    def on_event(data):
        answers.append(data)
        message = data if isinstance(data, dict) else json.loads(data)
        if message.get("final"):
            done.set()

    client.connect(
        f"{app_url}?token={uuid.uuid4()}",
        socketio_path="/_event",
        namespaces=["/_event"],
        transports=["websocket"],
        headers={"Cookie": cookie} if cookie else {},
    )
    try:
        client.emit("event", {"name": f"{UsersState.get_full_name()}.{handler}", "payload": payload,
                              "router_data": {"pathname": "/admin/users", "query": {}}},
                    namespace="/_event")
        done.wait(timeout=15)
    finally:
        client.disconnect()
    return answers


def _exists(engine, email: str) -> bool:
    with Session(engine) as db:
        return db.exec(select(User).where(User.email == email)).first() is not None


def _create_form(email: str) -> dict:
    return {"form": {"email": email, "name": "Mallory", "role": "admin",
                     "password": "a-long-enough-password"}}


@pytest.mark.browser
@pytest.mark.parametrize("who", ["viewer@example.com", "accountant@example.com", "client@example.com", None])
def test_crafted_create_user_event_is_refused_without_admin_rights(live_app, live_engine, who):
    email = f"mallory-{uuid.uuid4().hex[:8]}@example.com"
    cookie = session_cookie(live_app.url, who) if who else None
    answers = send_event(live_app.url, cookie, "create_user", _create_form(email))
    assert answers, "the server did not answer the event"
    assert not _exists(live_engine, email)
    text = json.dumps(answers)
    assert "not allowed" in text or "sign in" in text


@pytest.mark.browser
def test_the_same_crafted_event_works_for_an_admin(live_app, live_engine):
    """The control: the event above is well-formed, so its refusal is the permission check."""
    email = f"made-by-admin-{uuid.uuid4().hex[:8]}@example.com"
    send_event(live_app.url, session_cookie(live_app.url, "admin@example.com"), "create_user",
               _create_form(email))
    assert _exists(live_engine, email)


@pytest.mark.browser
def test_crafted_deactivate_event_from_a_viewer_changes_nothing(live_app, live_engine):
    with Session(live_engine) as db:
        admin = db.exec(select(User).where(User.email == "admin@example.com")).one()
    send_event(live_app.url, session_cookie(live_app.url, "viewer@example.com"), "set_active",
               {"user_id": str(admin.id), "active": False})
    with Session(live_engine) as db:
        assert db.get(User, admin.id).is_active
