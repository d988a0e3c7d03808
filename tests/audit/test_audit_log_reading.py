"""The audit log as an admin reads it: entries in words, linked to their records, filtered by
who, action, record and date, one page at a time; the export follows the same filters."""

from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from billing_app.auth.permissions import PermissionDenied
from billing_app.models.audit import AuditLog
from billing_app.models.company import Company
from billing_app.queries.audit import (
    SYSTEM,
    AuditFilter,
    audit_choices,
    audit_export_query,
    audit_page,
    record_names,
)
from billing_app.services.clients import client_update
from billing_app.services.invoices import invoice_create_draft, invoice_issue
from billing_app.ui.states.audit_text import action_label, detail_lines, record_href, record_label
from tests.support.factories import make_client


def entry(db, at: datetime, action="invoice.issue", entity_type="invoice", entity_id="1", actor=None,
          details=None) -> AuditLog:
    row = AuditLog(at=at, action=action, entity_type=entity_type, entity_id=entity_id,
                   actor_user_id=actor.id if actor else None, details=details)
    db.add(row)
    db.flush()
    return row


def on(day: int) -> datetime:
    return datetime(2031, 3, day, 12, 0, tzinfo=timezone.utc)


def test_an_entry_reads_as_words_not_json():
    assert action_label("invoice.issue") == "Invoice issued"
    assert action_label("client.update") == "Client changed"
    assert action_label("auth.sign_in_failed") == "Sign-in failed"
    assert action_label("bank_line.ignore") == "Bank statement line set aside"
    assert detail_lines({"changes": {"credit_limit": {"from": "1000.00", "to": None},
                                     "name": {"from": "Cedar", "to": "Cedar Print"}},
                         "client_id": 7, "reason": "paid twice"}) == [
        "Credit limit: 1000.00 → empty", "Name: Cedar → Cedar Print", "Client: 7", "Reason: paid twice"]
    assert detail_lines(None) == []
    assert len(detail_lines({"note": "x" * 5000})[0]) < 140  # long values are cut; the export keeps them


def test_records_link_to_their_pages():
    assert record_href("invoice", "12") == "/invoices/12"
    assert record_href("client", "3") == "/clients/3"
    assert record_href("payment", "9") == "/payments/9"
    assert record_href("tax_rate", "2") == "/admin/settings"
    assert record_href("api_token", "abc") == ""
    assert record_label("invoice", "12", "INV-2031-00012") == "Invoice INV-2031-00012"
    assert record_label("tax_rate", "2", None) == "Tax rate #2"


def test_a_changed_client_shows_its_name_and_each_change(db, admin, accountant):
    client = make_client(db, name="Cedar")
    client_update(db, actor=accountant, client_id=client.id,
                  data={"name": "Cedar Print", "credit_limit": "2500.00"})
    rows, total = audit_page(db, actor=admin, filters=AuditFilter(entity_type="client", record=str(client.id)))
    assert total == 1 and rows[0].action == "client.update" and rows[0].actor == accountant.name
    assert record_names(db, rows) == {("client", str(client.id)): "Cedar Print"}
    lines = detail_lines(rows[0].details)
    assert "Name: Cedar → Cedar Print" in lines
    assert any(line.startswith("Credit limit: empty → 2500") for line in lines)


def test_filters_by_who_action_record_type_record_and_date(db, admin, accountant):
    mine = [entry(db, on(1), actor=accountant, entity_id="501"),
            entry(db, on(2), actor=accountant, action="invoice.cancel", entity_id="501"),
            entry(db, on(3), actor=accountant, action="client.update", entity_type="client",
                  entity_id="501")]
    system = entry(db, on(2), action="email.retry", entity_type="email", entity_id="77")

    def ids(**filters) -> list[int]:
        rows, total = audit_page(db, actor=admin, filters=AuditFilter(**filters))
        assert total == len(rows)
        return [row.id for row in rows]

    assert ids(actor_id=accountant.id) == [mine[2].id, mine[1].id, mine[0].id]  # newest first
    assert ids(actor_id=SYSTEM, date_from=date(2031, 3, 1), date_to=date(2031, 3, 3)) == [system.id]
    assert ids(actor_id=accountant.id, action="invoice.cancel") == [mine[1].id]
    assert ids(actor_id=accountant.id, entity_type="invoice", record="501") == [mine[1].id, mine[0].id]
    assert ids(actor_id=accountant.id, record="501") == [mine[2].id, mine[1].id, mine[0].id]
    assert ids(actor_id=accountant.id, date_from=date(2031, 3, 2), date_to=date(2031, 3, 2)) == [mine[1].id]
    assert ids(actor_id=accountant.id, date_from=date(2031, 3, 4)) == []

    choices = audit_choices(db, actor=admin)
    assert (accountant.id, accountant.name) in choices.users
    assert {"invoice.cancel", "client.update", "email.retry"} <= set(choices.actions)
    assert {"invoice", "client", "email"} <= set(choices.entity_types)


def test_pages_of_fifty_cover_every_entry_once(db, admin, accountant):
    made = {entry(db, on(1 + n % 28), actor=accountant, entity_id=str(n)).id for n in range(120)}
    seen, offset = [], 0
    while True:
        rows, total = audit_page(db, actor=admin, filters=AuditFilter(actor_id=accountant.id),
                                 offset=offset, limit=50)
        if not rows:
            break
        assert len(rows) <= 50
        seen += [row.id for row in rows]
        offset += 50
    assert total == 120 and len(seen) == 120 and set(seen) == made


def test_an_invoice_number_finds_its_history(db, admin, accountant):
    company = db.exec(select(Company).order_by(Company.id)).first() or Company(name="Nordlicht GmbH")
    company.invoice_number_pattern = "INV-{YYYY}-{SEQ:05}"
    db.add(company)
    draft = invoice_create_draft(db, actor=accountant, data={
        "client_id": make_client(db).id, "issue_date": date(2031, 3, 1),
        "lines": [{"description": "Consulting", "quantity": "2", "unit_price": "100.00"}]})
    invoice = invoice_issue(db, actor=accountant, invoice_id=draft.id, today=date(2031, 3, 1))
    rows, _ = audit_page(db, actor=admin, filters=AuditFilter(record=invoice.number.lower()))
    assert rows and {(row.entity_type, row.entity_id) for row in rows} == {("invoice", str(invoice.id))}
    assert record_names(db, rows)[("invoice", str(invoice.id))] == invoice.number


@pytest.mark.parametrize("role", ["accountant", "viewer", "client_user"])
def test_only_admins_read_the_log(db, request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        audit_page(db, actor=user)
    with pytest.raises(PermissionDenied):
        audit_choices(db, actor=user)


def test_the_export_keeps_what_the_filters_keep(db, admin, accountant):
    kept = entry(db, on(5), actor=accountant, action="invoice.cancel", entity_id="601",
                 details={"reason": "x" * 500})
    entry(db, on(5), actor=accountant, action="invoice.issue", entity_id="601")
    statement = audit_export_query(db, actor=admin,
                                   filters=AuditFilter(actor_id=accountant.id, action="invoice.cancel"))
    rows = db.exec(statement).all()
    assert [(row[2], row[4], row[5]) for row in rows] == [("invoice.cancel", "601", kept.details)]
