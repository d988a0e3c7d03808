"""Two app processes on one Redis and one PostgreSQL, as two web replicas behind a proxy without
sticky sessions: a tab's state and its sign-in hold whichever process serves the next event.

Each process runs two workers (GRANIAN_WORKERS), so consecutive connections of one tab may also
land on different workers of one process.
"""

import json
import uuid

import httpx
import pytest
from sqlmodel import Session, func, select

from billing_app.db import make_engine
from billing_app.models.invoices import Invoice
from billing_app.ui.states.invoices import InvoicesState
from tests.support.databases import demo_database
from tests.support.live_app import LiveApp
from tests.support.websocket import send_events, session_cookie

pytestmark = pytest.mark.slow

INVOICES_PAGE = {"state": InvoicesState, "pathname": "/invoices"}


@pytest.fixture(scope="module")
def database_url(pg_server):
    return demo_database(pg_server, "billing_two_processes")


@pytest.fixture(scope="module")
def two_apps(database_url, redis_server, tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("two-processes")
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_server.url, "GRANIAN_WORKERS": "2"}
    apps = [LiveApp(env, run_dir / "first.log", run_dir / "first")]
    try:
        apps[0].wait_ready()
        apps.append(LiveApp(env, run_dir / "second.log", run_dir / "second", built=apps[0]))
        apps[1].wait_ready()
        yield apps
    finally:
        for app in apps:
            app.stop()


def list_shown(answers: list) -> bool:
    """The list event's last answer: the filters written into the address bar."""
    return "replaceState" in json.dumps(answers)


def invoice_vars(answers: list) -> dict:
    """The invoice list's vars as the answers set them, by name."""
    values = {}
    for message in answers:
        delta = message.get("delta", {}).get(InvoicesState.get_full_name(), {})
        values |= {name.removesuffix("_rx_state_"): value for name, value in delta.items()}
    return values


def filter_query(answers: list) -> str:
    (script,) = [event["payload"]["javascript_code"] for message in answers
                 for event in message.get("events", []) if event["name"] == "_call_script"]
    return json.loads(script.rsplit("+ ", 1)[1].rstrip(")"))


def paid_count(database_url: str) -> int:
    engine = make_engine(database_url)
    with Session(engine) as db:
        count = db.exec(select(func.count()).select_from(Invoice).where(Invoice.status == "paid")).one()
    engine.dispose()
    return count


def test_a_filter_set_through_one_process_is_kept_when_the_other_serves_the_tab(two_apps, database_url):
    first, second = two_apps
    cookie = session_cookie(first.url, "viewer@example.com")  # signed in through the first
    tab = str(uuid.uuid4())

    send_events(first.url, cookie, [("set_status", {"value": "paid"})], token=tab, until=list_shown,
                **INVOICES_PAGE)
    answers = send_events(second.url, cookie, [("set_sort", {"value": "number"})], token=tab,
                          until=list_shown, **INVOICES_PAGE)
    shown = invoice_vars(answers)

    assert filter_query(answers) == "?status=paid&sort=number"
    assert shown["rows"] and {row["status"] for row in shown["rows"]} == {"paid"}
    assert shown["total"] == paid_count(database_url)
    # The control: a new tab on the second process has no status filter.
    fresh = send_events(second.url, cookie, [("set_sort", {"value": "number"})], until=list_shown,
                        **INVOICES_PAGE)
    assert filter_query(fresh) == "?sort=number"
    assert len({row["status"] for row in invoice_vars(fresh)["rows"]}) > 1


def test_signing_out_through_one_process_ends_the_tab_on_the_other(two_apps):
    first, second = two_apps
    cookie = session_cookie(second.url, "accountant@example.com")  # signed in through the second
    tab = str(uuid.uuid4())
    listed = send_events(first.url, cookie, [("set_status", {"value": "sent"})], token=tab,
                         until=list_shown, **INVOICES_PAGE)
    assert invoice_vars(listed)["rows"]

    signed_out = httpx.post(f"{first.url}/auth/logout", headers={"Cookie": cookie, "Origin": first.url},
                            follow_redirects=False)
    assert signed_out.status_code == 303
    refused = send_events(second.url, cookie, [("set_sort", {"value": "number"})], token=tab,
                          **INVOICES_PAGE)

    assert "sign in" in json.dumps(refused).lower()
    assert not invoice_vars(refused).get("rows")
