"""A company row and one user of each role, in the test's rolled-back transaction."""

import itertools

import pytest
from sqlmodel import Session, func, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.audit import AuditLog
from billing_app.models.company import Company
from billing_app.queries.company import company_ensure
from billing_app.services.company import company_update
from billing_app.settings import get_settings

_names = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other test has used in this run."""
    return f"{prefix} {next(_names)}"


def audit_entries(session: Session, action: str) -> list[AuditLog]:
    return list(session.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditLog)).one()


@pytest.fixture
def company(db) -> Company:
    company_ensure(db)
    return company_update(db, actor=SYSTEM_ACTOR, data={
        "name": "Acme Tools GmbH", "address_line1": "Hauptstraße 1", "postal_code": "10115",
        "city": "Berlin", "country": "DE", "tax_id": "DE123456789", "email": "billing@acme.example",
        "phone": "+49 30 1234", "default_currency": "EUR", "default_payment_terms_days": 30,
        "invoice_number_pattern": "INV-{YYYY}-{SEQ:05}", "credit_note_number_pattern": "CN-{YYYY}-{SEQ:05}",
        "invoice_footer": "IBAN DE89 3704 0044 0532 0130 00",
    })


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Uploads go to a fresh folder."""
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path
