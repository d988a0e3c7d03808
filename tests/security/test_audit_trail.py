"""Sign-ins, sign-outs, token issue and refresh reuse, client_id changes and CSV mapping
changes reach the audit log, which the app's database role cannot change afterwards."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from billing_app.db import session_scope
from billing_app.domain.statements import CsvMapping
from billing_app.models.audit import AuditLog
from billing_app.models.users import Role
from billing_app.services.banking import statement_import
from billing_app.services.users import user_change_role
from tests.security.conftest import new_user, token_for
from tests.support.factories import PASSWORD, make_client

CSV = b"date,amount,reference\n2031-06-30,10.00,INV-1\n"
COLUMNS = CsvMapping(date="date", amount="amount", reference="reference",
                     date_format="%Y-%m-%d", decimal_separator=".")


def entries(action: str) -> list[AuditLog]:
    with session_scope() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)
                                 .order_by(AuditLog.id)).all())


def test_browser_sign_in_and_sign_out_are_audited(app):
    user = new_user()
    signed_in = app.post("/auth/login", data={"email": user.email, "password": PASSWORD},
                         follow_redirects=False)
    app.post("/auth/logout", cookies=signed_in.cookies, follow_redirects=False)

    (sign_in,) = [e for e in entries("auth.sign_in") if e.actor_user_id == user.id]
    (sign_out,) = [e for e in entries("auth.sign_out") if e.actor_user_id == user.id]
    assert sign_in.details["channel"] == sign_out.details["channel"] == "browser"


def test_token_issue_refresh_reuse_and_revoke_are_audited(app):
    user = new_user()
    pair = token_for(app, user.email).json()
    used = {"refresh_token": pair["refresh_token"]}
    assert app.post("/api/v1/auth/refresh", json=used).is_success
    replay = app.post("/api/v1/auth/refresh", json=used)
    assert replay.status_code == 401

    (issued,) = [e for e in entries("auth.token_issue") if e.actor_user_id == user.id]
    (reused,) = [e for e in entries("auth.refresh_reuse") if e.actor_user_id == user.id]
    assert issued.entity_id == reused.entity_id  # the same login, now revoked

    second = token_for(app, user.email).json()
    app.post("/api/v1/auth/revoke", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert [e.details["channel"] for e in entries("auth.sign_out") if e.actor_user_id == user.id] \
        == ["api"]


def test_moving_a_client_user_to_another_company_is_audited(db, admin, client_user):
    other, before = make_client(db), client_user.client_id
    user_change_role(db, actor=admin, user_id=client_user.id, role=Role.CLIENT.value,
                     client_id=other.id)
    entry = db.exec(select(AuditLog).where(AuditLog.action == "user.change_role",
                                           AuditLog.entity_id == str(client_user.id))).one()
    assert (entry.details["client_id_from"], entry.details["client_id_to"]) == (before, other.id)


def test_saving_and_changing_a_bank_csv_mapping_is_audited(db, accountant):
    statement_import(db, actor=accountant, file_name="a.csv", data=CSV, bank_profile="Audit Bank",
                     mapping=COLUMNS)
    changed = CsvMapping(date="date", amount="amount", date_format="%Y-%m-%d",
                         decimal_separator=".")
    statement_import(db, actor=accountant, file_name="b.csv", data=CSV + b"2031-07-01,5.00,X\n",
                     bank_profile="Audit Bank", mapping=changed)

    saved = db.exec(select(AuditLog).where(AuditLog.action == "bank_csv_profile.save")
                    .order_by(AuditLog.id)).all()
    assert [e.details["from"] is None for e in saved] == [True, False]
    assert saved[1].details["from"]["mapping"]["reference"] == "reference"
    assert saved[1].details["to"]["mapping"]["reference"] is None
    assert {e.actor_user_id for e in saved} == {accountant.id}


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'",
                                       "DELETE FROM audit_log", "TRUNCATE audit_log"])
def test_the_audit_log_is_append_only(db, admin, statement):
    assert db.exec(select(AuditLog)).first() is not None
    with pytest.raises(DBAPIError, match="append-only"):
        db.connection().execute(text(statement))
