"""The authorization matrix: every public event handler of every State, and every API route,
called as no session, client, viewer, accountant and admin; what a role may not do is refused
and leaves the database as it was (row counts and a checksum of every table on PostgreSQL).

Both lists are discovered, so a new handler or route cannot be forgotten: a handler missing
from WRITES/READ_ONLY, or an API route without a permission check that is not in PUBLIC_ROUTES,
fails the test with a message saying where to add it.

WRITES names, per State, the handlers that change data and the permission each needs; the
others are READ_ONLY (reads, or this tab's own view) and must change nothing for anyone. Every
role calls every handler it may not write with and every read-only one, over one websocket
connection per role: read-only ones in one batch, write ones one by one, each of which must
answer with a refusal, before it looks at its input (a closed dialog, no file). Calls that are
allowed to write are left out: they would change the demo book the browser tests share (the
services' own tests cover them).
"""

import importlib
import inspect
import json
import pkgutil
import re
import time
import typing
import uuid
from collections.abc import Iterator

import pytest
import reflex as rx
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import SQLModel

from billing_app.auth.permissions import Action as A, can
from billing_app.ui import states as ui_states
from billing_app.models.users import Role
from tests.support import websocket
from tests.support.websocket import send_named_events, session_cookie

ROLES: list[Role | None] = [None, Role.CLIENT, Role.VIEWER, Role.ACCOUNTANT, Role.ADMIN]
DEMO_EMAILS = {Role.CLIENT: "client@example.com", Role.VIEWER: "viewer@example.com",
               Role.ACCOUNTANT: "accountant@example.com", Role.ADMIN: "admin@example.com"}
REFUSALS = ("not allowed", "sign in")
VOLATILE_TABLES = {"user_sessions", "api_tokens"}
"""Sign-in bookkeeping: a session's last use slides with every request, refused or not."""

WRITES: dict[str, dict[str, A]] = {
    "AccountState": {h: A.OWN_ACCOUNT for h in
                     ("change_password", "confirm_two_factor", "disable_two_factor", "start_two_factor")},
    "BankImportState": {"import_statement": A.PAYMENTS_WRITE, "upload": A.PAYMENTS_WRITE},
    "BankReviewState": {h: A.PAYMENTS_WRITE for h in
                        ("accept", "accept_confident", "accept_reversal", "dismiss_reversal", "ignore",
                         "reject", "save_match")},
    "BulkJobsState": {"start_statement_run": A.EMAILS_SEND},
    "ClientDetailState": {**{h: A.CLIENTS_WRITE for h in
                             ("archive_client", "make_primary", "remove_address", "remove_contact",
                              "restore_client", "save_address", "save_contact", "save_details")},
                          "anonymise_client": A.CLIENT_PRIVACY, "refund_credit": A.PAYMENTS_WRITE},
    "ClientNewState": {"create_client": A.CLIENTS_WRITE, "create_anyway": A.CLIENTS_WRITE},
    "ClientRemindersState": {"pause_client_reminders": A.CLIENTS_WRITE,
                             "resume_client_reminders": A.CLIENTS_WRITE},
    "CompanySettingsState": {h: A.SETTINGS_MANAGE for h in
                             ("remove_logo", "save_company", "save_invoicing", "save_security",
                              "upload_logo")},
    "DocumentSettingsState": {"save": A.SETTINGS_MANAGE},
    "EmailLogState": {"retry": A.EMAILS_SEND},
    "EmailTemplatesState": {"reset_template": A.SETTINGS_MANAGE, "save_template": A.SETTINGS_MANAGE},
    "InvoiceDetailState": {"apply_client_credit": A.PAYMENTS_WRITE, "cancel": A.INVOICES_WRITE,
                           "duplicate": A.INVOICES_WRITE, "issue": A.INVOICES_WRITE,
                           "issue_credit_note": A.INVOICES_WRITE,
                           "issue_over_credit_limit": A.CREDIT_LIMIT_OVERRIDE},
    "InvoiceEditorState": {"save_draft": A.INVOICES_WRITE, "save_and_issue": A.INVOICES_WRITE,
                           "issue_over_credit_limit": A.CREDIT_LIMIT_OVERRIDE},
    "InvoiceEmailState": {"send": A.EMAILS_SEND, "mark_sent": A.INVOICES_WRITE},
    "InvoiceRemindersState": {"pause_reminders": A.INVOICES_WRITE, "resume_reminders": A.INVOICES_WRITE},
    "InvoicesState": {"start_bulk": A.EMAILS_SEND},
    "PaymentDetailState": {h: A.PAYMENTS_WRITE for h in
                           ("allocate_to_invoices", "refund", "remove_allocation", "reverse")},
    "PaymentNewState": {"record": A.PAYMENTS_WRITE},
    "ProductsState": {h: A.PRODUCTS_WRITE for h in ("activate", "deactivate", "save_product")},
    "ReminderSettingsState": {h: A.SETTINGS_MANAGE for h in
                              ("delete_level", "save_level", "save_time_zone")},
    "TaxRatesState": {h: A.SETTINGS_MANAGE for h in ("make_default", "save_rate", "set_active")},
    "UsersState": {h: A.USERS_MANAGE for h in
                   ("change_role", "confirm_pending", "create_user", "reset_password", "set_active")},
}

READ_ONLY: dict[str, str] = {
    "AccountState": "load_two_factor setvar",
    "AgingClientState": "load setvar",
    "AgingState": "apply load search_client set_field setvar",
    "AuditState": "load next_page previous_page set_action set_date set_record_type set_search "
                  "set_who setvar",
    "AuthState": "guard_page load_identity setvar",
    "BankImportState": "file_rejected load set_bank set_column setvar start_over",
    "BankReviewState": "allocate_oldest_first clear_allocations load next_page open_match "
                       "previous_page set_allocation set_confidence set_match_client "
                       "set_match_open set_statement setvar",
    "BankStatementsState": "load next_page previous_page setvar",
    "BulkJobsState": "load set_statement_date setvar show_jobs watch",
    "ClientDetailState": "load next_page open_address open_edit_contact open_new_contact "
                         "previous_page set_address_open set_anonymise_open set_contact_open "
                         "set_credit_refund_open set_editing set_statement_currency "
                         "set_statement_date setvar",
    "ClientNewState": "add_contact load remove_contact set_primary set_with_shipping setvar",
    "ClientRemindersState": "load_client_reminders setvar",
    "ClientsState": "load next_page previous_page set_has_overdue set_kind set_search set_show "
                    "set_sort setvar",
    "CompanySettingsState": "load logo_rejected preview_pattern setvar",
    "DocumentSettingsState": "choose_look load setvar",
    "DsoState": "apply load set_currency set_months setvar",
    "EmailLogState": "load next_page previous_page set_status set_view_open setvar view",
    "EmailTemplatesState": "choose_template edit_template load_templates setvar",
    "ForecastState": "load set_currency setvar",
    "HomeState": "load set_currency setvar",
    "InvoiceDetailState": "load set_cancel_open set_note_mode set_note_open set_note_quantity setvar",
    "InvoiceDocumentsState": "load_documents setvar",
    "InvoiceEditorState": "add_line choose_product load remove_line set_client_text set_header "
                          "set_line_field setvar toggle_line_tax",
    "InvoiceEmailState": "load_emails open_send refresh_emails set_send_open setvar",
    "InvoiceRemindersState": "load_reminders setvar",
    "InvoicesState": "clear_selection load next_page previous_page set_date set_overdue_only "
                     "set_search set_sort set_status setvar toggle_page toggle_row",
    "LoginState": "prepare prepare_reset setvar",
    "MyInvoicesState": "load next_page previous_page setvar",
    "PaymentDetailState": "allocate_oldest_first clear_allocations load open_allocate open_refund "
                          "open_reverse set_allocate_open set_allocation set_refund_open "
                          "set_reverse_open setvar",
    "PaymentNewState": "allocate_oldest_first clear_allocations load set_allocation set_client_text "
                       "set_field setvar",
    "PaymentsState": "clear_client load next_page previous_page set_date set_method set_search "
                     "set_status setvar",
    "ProductsState": "load next_page open_edit open_new previous_page set_form_open set_search "
                     "set_show_inactive setvar",
    "ReminderSettingsState": "edit_level load_reminders new_level set_level_open setvar",
    "RevenueState": "apply load set_currency set_period setvar",
    "TaxRatesState": "load open_add open_edit set_dialog_open setvar",
    "TaxState": "apply load set_currency set_option setvar",
    "UsersState": "ask_active ask_role close_reset load next_page open_create open_reset "
                  "previous_page set_create_open set_create_role set_pending_open set_reset_open "
                  "set_search setvar",
}

ARGUMENTS = {
    "UsersState.set_active": {"user_id": "1", "active": False},
    "UsersState.change_role": {"user_id": "1", "role": "client"},
    "UsersState.create_user": {"form": {"email": "mallory@example.com", "name": "Mallory",
                                        "role": "admin", "password": "a-long-enough-password"}},
    "UsersState.reset_password": {"form": {"password": "a-long-enough-password"}},
    "TaxRatesState.set_active": {"rate_id": "1", "active": False},
    "ClientDetailState.save_details": {"form": {"client-name": "Renamed by an attacker"}},
    "CompanySettingsState.save_company": {"form": {"name": "Taken over Ltd"}},
    "CompanySettingsState.preview_pattern": {"name": "invoice_number_pattern",
                                             "pattern": "INV-{SEQ:05}"},
    "InvoiceDetailState.cancel": {"form": {"reason": "crafted"}},
    "InvoicesState.start_bulk": {"kind": "invoice_send"},  # each kind asks its own permission
}
"""Arguments where the signature alone would give a meaningless call."""

# --- discovery ------------------------------------------------------------------------------


def app_states() -> list[type[rx.State]]:
    for module in pkgutil.walk_packages(ui_states.__path__, f"{ui_states.__name__}."):
        importlib.import_module(module.name)

    def walk(state):
        for substate in state.get_substates():
            yield substate
            yield from walk(substate)

    return [state for state in walk(rx.State) if state.__module__.startswith("billing_app.")]


def public_handlers(state: type[rx.State]) -> list[str]:
    """Every handler a browser can call, inherited (mixins) and setvar included."""
    return sorted(name for name in state.event_handlers if not name.startswith("_"))


def _value(annotation, name: str):
    annotation = typing.get_origin(annotation) or annotation
    if annotation is dict:
        return {}
    if annotation is bool:
        return True
    if annotation is int:
        return 1
    if annotation is list:
        return []
    return "1" if name.endswith("id") else "x"


def arguments(state: type[rx.State], handler: str) -> dict:
    if handler == "setvar":
        var = next(name for name in state.base_vars if not name.startswith("_"))
        return {"var_name": var, "value": _value(state.base_vars[var]._var_type, var)}
    if f"{state.__name__}.{handler}" in ARGUMENTS:
        return ARGUMENTS[f"{state.__name__}.{handler}"]
    signature = inspect.signature(state.event_handlers[handler].fn)
    hints = typing.get_type_hints(state.event_handlers[handler].fn)
    return {name: _value(hints.get(name, str), name)
            for name in list(signature.parameters)[1:]}


def test_every_handler_is_in_the_permission_map():
    missing, stale = [], []
    for state in app_states():
        listed = set(WRITES.get(state.__name__, {})) | set(READ_ONLY.get(state.__name__, "").split())
        found = set(public_handlers(state))
        missing += [f"{state.__name__}.{name}" for name in sorted(found - listed)]
        stale += [f"{state.__name__}.{name}" for name in sorted(listed - found)]
    assert not missing, ("New event handlers: add each to WRITES (with the permission it needs) or "
                         f"to READ_ONLY in {__file__}: {missing}")
    assert not stale, f"Handlers that no longer exist; remove them from the map: {stale}"


# --- the database, before and after ---------------------------------------------------------


def snapshot(engine) -> dict[str, tuple[int, str]]:
    """Rows and an md5 of all of them, per table (PostgreSQL)."""
    tables = [table.name for table in SQLModel.metadata.sorted_tables
              if table.name not in VOLATILE_TABLES]
    with engine.connect() as connection:
        return {name: tuple(connection.execute(text(
            f'SELECT count(*), coalesce(md5(string_agg(t::text, \'|\' ORDER BY t::text)), \'\') '
            f'FROM "{name}" t')).one()) for name in tables}


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


# --- event handlers over the websocket -----------------------------------------------------


def _calls_for(role: Role | None) -> Iterator[tuple[type[rx.State], str, A | None]]:
    for state in app_states():
        writes = WRITES.get(state.__name__, {})
        for handler in public_handlers(state):
            needed = writes.get(handler)
            if needed is None or not can(role, needed):
                yield state, handler, needed


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "no-session")
def test_event_handlers_refuse_and_change_nothing(live_app, live_engine, role,
                                                  monkeypatch):
    """Read-only handlers go in one batch, since many answer nothing at all, closed by an event
    whose answer is known; the write handlers one by one, each answering with a refusal."""
    from billing_app.ui.states.users import UsersState

    cookie = session_cookie(live_app.url, DEMO_EMAILS[role]) if role else None
    calls = list(_calls_for(role))
    reads = [call for call in calls if call[2] is None]
    writes = [call for call in calls if call[2] is not None]
    end_mark = f"batch-end-{uuid.uuid4().hex}"
    before = snapshot(live_engine)
    started = time.monotonic()

    monkeypatch.setattr(websocket, "ANSWER_TIMEOUT", 300.0)
    batch = [(f"{state.get_full_name()}.{handler}", arguments(state, handler))
             for state, handler, _ in reads]
    batch.append((f"{UsersState.get_full_name()}.set_search", {"value": end_mark}))
    [answers] = send_named_events(live_app.url, cookie, batch, pathname="/", batch=True,
                                  until=lambda answers: end_mark in json.dumps(answers))
    assert end_mark in json.dumps(answers), "the read-only handlers did not all run in time"

    monkeypatch.setattr(websocket, "ANSWER_TIMEOUT", 20.0)
    monkeypatch.setattr(websocket, "QUIET", 0.1)
    answered = send_named_events(
        live_app.url, cookie, [(f"{state.get_full_name()}.{handler}", arguments(state, handler))
                               for state, handler, _ in writes], pathname="/",
        until=lambda answers: any(word in json.dumps(answers).lower() for word in REFUSALS))
    unrefused = [f"{state.__name__}.{handler}" for (state, handler, _), answers in zip(writes, answered)
                 if not any(word in json.dumps(answers).lower() for word in REFUSALS)]
    after = snapshot(live_engine)
    print(f"\n{role or 'no session'}: {len(reads)} batched and {len(writes)} refused write "
          f"handler calls in {time.monotonic() - started:.0f} s; changed: {changed(before, after)}; "
          f"not refused: {unrefused}")
    assert not changed(before, after), f"tables changed by {role}: {changed(before, after)}"
    assert not unrefused, f"write handlers that did not answer with a refusal: {unrefused}"


# --- API routes -----------------------------------------------------------------------------

PUBLIC_ROUTES = {
    "POST /api/v1/auth/token", "POST /api/v1/auth/refresh", "POST /api/v1/auth/revoke",
    "GET /api/v1/health", "GET /api/v1/public/company", "GET /api/v1/public/company/logo",
    "POST /api/v1/gateway/{provider}/events", "POST /auth/login", "POST /auth/login/code",
    "POST /auth/logout", "POST /auth/logout-everywhere", "POST /auth/forgot-password",
    "POST /auth/reset-password",
}
"""Routes anyone may call: signing in and out (the browser's read the session cookie
themselves), the login page's company name and logo, the health check, the signed webhook.
Any other route without a permission check or a sign-in fails the test."""


def api_routes(routes) -> Iterator:
    """Every route of the app, through included routers."""
    for route in routes:
        if isinstance(route, APIRoute) or hasattr(route, "dependant"):
            yield route
        elif hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()


def route_guard(dependant) -> tuple[set[A], bool]:
    """The permissions a route's dependencies require, and whether it needs a signed-in user."""
    actions, signed_in = set(), False
    for dependency in dependant.dependencies:
        name = getattr(dependency.call, "__name__", "")
        if name == "allowed_user":
            actions |= {cell.cell_contents for cell in dependency.call.__closure__ or ()
                        if isinstance(cell.cell_contents, A)}
        signed_in = signed_in or name in ("current_login", "current_user", "cookie_user")
        inner_actions, inner_signed_in = route_guard(dependency)
        actions |= inner_actions
        signed_in = signed_in or inner_signed_in or bool(inner_actions)
    return actions, signed_in


def _route_calls(app) -> Iterator[tuple[str, str, set[A], bool]]:
    for route in api_routes(app.routes):
        if "{path:path}" in route.path:
            continue  # the catch-all that answers 404 for unknown API paths
        actions, signed_in = route_guard(route.dependant)
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            yield method, route.path, actions, signed_in


@pytest.fixture
def authz_api(pg_server, security_db):
    """The API in process on a demo book of its own."""
    from billing_app.api.app import create_api
    from billing_app.db import make_engine
    from billing_app.demo import generate
    from tests.conftest import migrate
    from tests.support.databases import use_database

    url = pg_server.create_database("billing_authz")
    migrate(url)
    engine = make_engine(url)
    generate(engine, invoices=30, seed=3)
    use_database(url)
    try:
        with TestClient(create_api(), base_url="http://localhost:8000") as client:
            yield client, engine
    finally:
        use_database(security_db)
        engine.dispose()


def _path(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "billing" if m.group(1) == "kind" else
                  "stripe" if m.group(1) == "provider" else "1", template)


def test_api_routes_refuse_every_role_without_the_permission(authz_api):
    client, engine = authz_api
    routes = list(_route_calls(client.app))
    open_routes = sorted(f"{method} {path}" for method, path, actions, signed_in in routes
                         if not signed_in and f"{method} {path}" not in PUBLIC_ROUTES)
    stale = PUBLIC_ROUTES - {f"{method} {path}" for method, path, _, _ in routes}
    assert not stale, f"PUBLIC_ROUTES lists routes that no longer exist: {sorted(stale)}"
    assert not open_routes, ("Routes without a permission check or sign-in: check the role in "
                             f"the route, or add it to PUBLIC_ROUTES if anyone may call it: {open_routes}")
    headers = {None: {}}
    for role, email in DEMO_EMAILS.items():
        token = client.post("/api/v1/auth/token", json={"email": email, "password": "demo-password-2026"})
        assert token.status_code == 200, token.text
        headers[role] = {"Authorization": f"Bearer {token.json()['access_token']}"}
    started, counted = time.monotonic(), 0
    for role in ROLES:
        before = snapshot(engine)
        wrong = []
        for method, path, actions, signed_in in routes:
            if not signed_in or (role is not None and all(can(role, action) for action in actions)):
                continue
            response = client.request(method, _path(path), headers=headers[role], json={})
            counted += 1
            expected = 401 if role is None else 403
            if response.status_code != expected:
                wrong.append(f"{method} {path}: {response.status_code} {response.text[:120]}")
        assert not wrong, f"{role or 'no session'} was not refused ({expected}) by: {wrong}"
        assert not changed(before, snapshot(engine)), f"tables changed by {role}"
    print(f"\nAPI matrix: {len(routes)} routes, {counted} refused calls in "
          f"{time.monotonic() - started:.1f} s")
