"""GDPR: a client's data exported as a zip, and a client anonymised without touching the books."""

import io
import json
import zipfile
from dataclasses import asdict
from datetime import date, timedelta

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select as sa_select
from sqlmodel import SQLModel, select

from billing_app.auth.throttle import limits_storage
from billing_app.errors import PermissionDenied, ValidationFailed
from billing_app.models.audit import AuditLog
from billing_app.models.invoices import Invoice
from billing_app.models.messaging import EmailOutbox
from billing_app.models.payments import Payment
from billing_app.models.users import Role, User
from billing_app.queries.clients import client_figures
from billing_app.reports.aging import AgingOptions, aging_report
from billing_app.services.clients import client_create, client_update
from billing_app.services.clients.privacy import client_anonymise, client_data_export
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.services.invoices.sending import invoice_send
from billing_app.services.payments.recording import payment_record
from billing_app.services.sign_in import sign_in
from billing_app.services.users import user_create
from tests.invoices.conftest import company  # noqa: F401
from tests.support.documents import pdf_text
from tests.support.factories import PASSWORD

DAY = date(2032, 4, 6)
PERSONAL = {
    "name": "Quillfeather Orchards Zb7",
    "email": "ledger.zb7@quillfeather.example.com",
    "phone": "+49 30 9876 5432",
    "tax_id": "DE987654321",
    "notes": "Prefers calls from Ondine Vasquez-Zb7",
    "contact": "Ondine Vasquez-Zb7",
    "contact_email": "ondine.zb7@quillfeather.example.com",
    "contact_phone": "+49 171 2223334",
    "line1": "Obstgartenweg 17 Zb7",
    "user_name": "Bertram Quill-Zb7",
    "user_email": "bertram.zb7@quillfeather.example.com",
}


@pytest.fixture
def books(db, company, admin, accountant):  # noqa: F811
    """A client with a contact, an address, a portal user (who once mistyped the password),
    an emailed invoice with its kept PDF, a second invoice and a payment on the first."""
    client = client_create(
        db, actor=accountant,
        data={"name": PERSONAL["name"], "email": PERSONAL["email"], "phone": PERSONAL["phone"],
              "tax_id": PERSONAL["tax_id"], "notes": PERSONAL["notes"], "payment_terms_days": 14},
        contacts=[{"name": PERSONAL["contact"], "email": PERSONAL["contact_email"],
                   "phone": PERSONAL["contact_phone"], "is_primary": True}],
        addresses=[{"kind": "billing", "line1": PERSONAL["line1"], "postal_code": "10115",
                    "city": "Berlin", "country": "DE"}])
    client_update(db, actor=accountant, client_id=client.id, data={"phone": PERSONAL["phone"] + "0"})
    user = user_create(db, actor=admin, email=PERSONAL["user_email"], name=PERSONAL["user_name"],
                       role=Role.CLIENT, password=PASSWORD, client_id=client.id)
    limits_storage().reset()  # each test's one failed sign-in counts from zero
    assert sign_in(db, email=PERSONAL["user_email"], password="wrong password", ip_address="203.0.113.9",
                   channel="api") is None
    invoices = []
    for price in ("1200.00", "450.50"):
        draft = invoice_create_draft(db, actor=accountant, data={
            "client_id": client.id, "issue_date": DAY, "notes": f"For {PERSONAL['contact']}",
            "lines": [{"description": "Orchard survey", "quantity": "1", "unit_price": price}]})
        invoices.append(invoice_issue(db, actor=accountant, invoice_id=draft.id, today=DAY))
    invoice_send(db, actor=accountant, invoice_id=invoices[0].id, recipients=[PERSONAL["contact_email"]],
                 subject=f"Invoice {invoices[0].number}", message=f"Dear {PERSONAL['contact']}, here it is.",
                 today=DAY)
    payment_record(db, actor=accountant, today=DAY, data={
        "client_id": client.id, "payment_date": DAY, "amount": "1000.00",
        "reference": f"{invoices[0].number} {PERSONAL['name']}",
        "allocations": [{"invoice_id": invoices[0].id, "amount": "1000.00"}]})
    db.flush()
    return client, user, invoices


def _unzip(content: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("client.json")), files


def test_the_export_holds_everything_about_the_client_and_its_sent_pdfs(db, admin, books):
    client, user, invoices = books
    filename, content = client_data_export(db, actor=admin, client_id=client.id)
    data, files = _unzip(content)

    assert filename == f"client-{client.id}-data.zip"
    assert data["client"]["name"] == PERSONAL["name"] and data["client"]["tax_id"] == PERSONAL["tax_id"]
    assert [c["email"] for c in data["contacts"]] == [PERSONAL["contact_email"]]
    assert data["addresses"][0]["line1"] == PERSONAL["line1"]
    assert [u["email"] for u in data["users"]] == [PERSONAL["user_email"]]
    assert "password_hash" not in data["users"][0] and "totp_secret" not in data["users"][0]
    assert [(i["number"], i["total"]) for i in data["invoices"]] == \
        [(i.number, f"{i.total:.4f}") for i in invoices]
    assert data["invoices"][1]["lines"][0]["description"] == "Orchard survey"
    assert [p["amount"] for p in data["payments"]] == ["1000.0000"]
    assert [(a["invoice_id"], a["amount"]) for a in data["allocations"]] == [(invoices[0].id, "1000.0000")]
    assert {e["to_address"] for e in data["emails"]} >= {PERSONAL["contact_email"]}
    assert {"client.create", "client.update", "invoice.issue", "payment.record"} <= \
        {entry["action"] for entry in data["audit"]}
    assert "refunds" in data and "credit_notes" in data and "reminders" in data

    kept = [d for d in data["documents"] if d["invoice_id"] == invoices[0].id]
    assert kept and all(d["file"] in files for d in kept)
    assert PERSONAL["name"] in pdf_text(files[kept[0]["file"]])
    exported = db.exec(select(AuditLog).where(AuditLog.action == "client.export",
                                              AuditLog.entity_id == str(client.id))).all()
    assert len(exported) == 1


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.VIEWER, Role.CLIENT])
def test_only_admins_export_or_anonymise(db, books, role, request):
    client, _, _ = books
    actor = request.getfixturevalue({Role.ACCOUNTANT: "accountant", Role.VIEWER: "viewer",
                                     Role.CLIENT: "client_user"}[role])
    with pytest.raises(PermissionDenied):
        client_data_export(db, actor=actor, client_id=client.id)
    with pytest.raises(PermissionDenied):
        client_anonymise(db, actor=actor, client_id=client.id, confirm_name=PERSONAL["name"])


def _money_picture(db, admin, client_id: int, invoice_ids: list[int]) -> dict:
    invoices = db.exec(select(Invoice).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.id)).all()
    payments = db.exec(select(Payment).where(Payment.client_id == client_id)).all()
    aging = {day: aging_report(db, actor=admin, options=AgingOptions(as_of=day)) for day in
             (DAY, DAY + timedelta(days=30), DAY + timedelta(days=120))}
    return {
        "invoices": [(i.number, i.status, i.total, i.amount_paid, i.issue_date, i.due_date)
                     for i in invoices],
        "payments": [(p.amount, p.status, p.payment_date) for p in payments],
        "figures": asdict(client_figures(db, client_id, today=DAY + timedelta(days=30))),
        "aging": {day: (report.totals, [(row.currency, row.buckets, row.total, row.invoice_count)
                                        for row in report.rows if row.client_id == client_id])
                  for day, report in aging.items()},
    }


def _tables_mentioning(db, value: str) -> list[str]:
    """Every table.column whose text (JSON included) contains `value`, over the whole database."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text, JSON)):
                hits = db.exec(sa_select(func.count()).select_from(table).where(
                    cast(column, Text).ilike(f"%{value}%"))).one()[0]
                if hits:
                    found.append(f"{table.name}.{column.name}")
    return found


def test_anonymising_removes_every_personal_string_and_keeps_the_books(db, admin, books):
    client, user, invoices = books
    before = _money_picture(db, admin, client.id, [i.id for i in invoices])
    audit_before = db.exec(select(func.count()).select_from(AuditLog)).one()
    for value in PERSONAL.values():
        assert _tables_mentioning(db, value), f"the test data should contain {value!r}"

    with pytest.raises(ValidationFailed) as wrong:
        client_anonymise(db, actor=admin, client_id=client.id, confirm_name="Quillfeather")
    assert wrong.value.field == "confirm_name"
    client_anonymise(db, actor=admin, client_id=client.id, confirm_name=f"  {PERSONAL['name']} ")
    db.flush()
    db.expire_all()

    assert _money_picture(db, admin, client.id, [i.id for i in invoices]) == before
    leftovers = {value: _tables_mentioning(db, value) for value in PERSONAL.values()}
    assert {value: tables for value, tables in leftovers.items() if tables} == {}
    assert db.get(type(client), client.id).name == f"Anonymised client {client.id}"
    user = db.get(User, user.id)
    assert not user.is_active and user.name == f"Anonymised user {user.id}"
    assert db.exec(select(EmailOutbox).where(EmailOutbox.client_id == client.id)).first() is not None

    # every audit entry is still there, plus the one saying what was done
    assert db.exec(select(func.count()).select_from(AuditLog)).one() == audit_before + 1
    entry = db.exec(select(AuditLog).where(AuditLog.action == "client.anonymise")).one()
    assert entry.entity_id == str(client.id) and entry.actor_user_id == admin.id
    assert entry.details["users"] == [user.id] and entry.details["audit_entries_redacted"] >= 3


def test_the_audit_log_stays_append_only_outside_an_anonymisation(db, admin, books):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    entry = db.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text("UPDATE audit_log SET details = NULL WHERE id = :id"), {"id": entry.id})
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text("SELECT set_config('billing.audit_redaction', 'on', true)"))
            db.execute(text("UPDATE audit_log SET action = 'x' WHERE id = :id"), {"id": entry.id})
