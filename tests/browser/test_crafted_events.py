"""What an attacker would do: call a write handler over the websocket without the rights."""

import json
import uuid

import pytest
from sqlmodel import Session, select

from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.ui.states.client_detail import ClientDetailState
from billing_app.ui.states.invoice_detail import InvoiceDetailState
from billing_app.ui.states.settings import CompanySettingsState
from billing_app.ui.states.users import UsersState
from tests.support.websocket import send_event, send_events, session_cookie


USERS_PAGE = {"state": UsersState, "pathname": "/admin/users"}


def _exists(engine, email: str) -> bool:
    with Session(engine) as db:
        return db.exec(select(User).where(User.email == email)).first() is not None


def _create_events(email: str) -> list[tuple[str, dict]]:
    """Open the dialog (a setter anyone may call) and submit it, as a crafted page would."""
    form = {"email": email, "name": "Mallory", "role": "admin", "password": "a-long-enough-password"}
    return [("set_create_open", {"value": True}), ("create_user", {"form": form})]


@pytest.mark.browser
@pytest.mark.parametrize("who", ["viewer@example.com", "accountant@example.com", "client@example.com", None])
def test_crafted_create_user_event_is_refused_without_admin_rights(live_app, live_engine, who):
    email = f"mallory-{uuid.uuid4().hex[:8]}@example.com"
    cookie = session_cookie(live_app.url, who) if who else None
    answers = send_events(live_app.url, cookie, _create_events(email), **USERS_PAGE)
    assert answers, "the server did not answer the event"
    assert not _exists(live_engine, email)
    text = json.dumps(answers)
    assert "not allowed" in text or "sign in" in text


@pytest.mark.browser
def test_the_same_crafted_event_works_for_an_admin(live_app, live_engine):
    """The control: the event above is well-formed, so its refusal is the permission check."""
    email = f"made-by-admin-{uuid.uuid4().hex[:8]}@example.com"
    send_events(live_app.url, session_cookie(live_app.url, "admin@example.com"), _create_events(email),
                **USERS_PAGE)
    assert _exists(live_engine, email)


@pytest.mark.browser
def test_crafted_deactivate_event_from_a_viewer_changes_nothing(live_app, live_engine):
    with Session(live_engine) as db:
        admin = db.exec(select(User).where(User.email == "admin@example.com")).one()
    send_event(live_app.url, session_cookie(live_app.url, "viewer@example.com"), "set_active",
               {"user_id": str(admin.id), "active": False}, **USERS_PAGE)
    with Session(live_engine) as db:
        assert db.get(User, admin.id).is_active


@pytest.mark.browser
def test_crafted_issue_event_from_a_viewer_leaves_the_draft_alone(live_app, live_engine):
    with Session(live_engine) as db:
        draft = db.exec(select(Invoice).where(Invoice.status == "draft")).first()
    answers = send_event(live_app.url, session_cookie(live_app.url, "viewer@example.com"), "issue", {},
                         state=InvoiceDetailState, pathname=f"/invoices/{draft.id}")
    assert "not allowed" in json.dumps(answers)
    with Session(live_engine) as db:
        assert db.get(Invoice, draft.id).status == "draft"


@pytest.mark.browser
def test_crafted_load_of_another_clients_invoice_reveals_nothing(live_app, live_engine):
    with Session(live_engine) as db:
        own = db.exec(select(User.client_id).where(User.email == "client@example.com")).one()
        foreign = db.exec(select(Invoice).where(Invoice.client_id != own, Invoice.status == "sent")).first()
    answers = json.dumps(send_event(live_app.url, session_cookie(live_app.url, "client@example.com"), "load",
                                    {}, state=InvoiceDetailState, pathname=f"/my/invoices/{foreign.id}"))
    assert answers != "[]"
    assert foreign.number not in answers


@pytest.mark.browser
def test_crafted_archive_event_from_a_viewer_keeps_the_client(live_app, live_engine):
    with Session(live_engine) as db:
        client = db.exec(select(Client).where(~Client.is_archived)).first()
    answers = send_events(live_app.url, session_cookie(live_app.url, "viewer@example.com"),
                          [("load", {}), ("archive_client", {})], state=ClientDetailState,
                          pathname=f"/clients/{client.id}")
    assert "not allowed" in json.dumps(answers)
    with Session(live_engine) as db:
        assert not db.get(Client, client.id).is_archived


@pytest.mark.browser
@pytest.mark.parametrize("who", [None, "accountant@example.com"])
def test_the_number_preview_answers_admins_only(live_app, who):
    """It once answered anyone, and `{SEQ:05000000}` made a 5 MB preview (and state file)."""
    cookie = session_cookie(live_app.url, who) if who else None
    answers = json.dumps(send_event(live_app.url, cookie, "preview_pattern",
                                    {"name": "invoice_number_pattern", "pattern": "PRE-{SEQ:07}"},
                                    state=CompanySettingsState, pathname="/admin/settings"))
    assert "not allowed" in answers or "sign in" in answers
    assert "PRE-0000001" not in answers


@pytest.mark.browser
def test_the_number_preview_works_for_an_admin_and_refuses_wide_padding(live_app):
    cookie = session_cookie(live_app.url, "admin@example.com")
    ok = json.dumps(send_event(live_app.url, cookie, "preview_pattern",
                               {"name": "invoice_number_pattern", "pattern": "PRE-{SEQ:07}"},
                               state=CompanySettingsState, pathname="/admin/settings"))
    assert "PRE-0000001" in ok
    wide = send_event(live_app.url, cookie, "preview_pattern",
                      {"name": "invoice_number_pattern", "pattern": "PRE-{SEQ:05000000}"},
                      state=CompanySettingsState, pathname="/admin/settings")
    assert "at most 9 digits" in json.dumps(wide) and len(json.dumps(wide)) < 100_000
