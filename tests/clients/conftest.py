"""Client test data on the rolled-back `db`: users of each role, a company, invoices as rows.

Other tests share the database, so list tests give their clients a unique `tag` and search
for it.
"""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.models.audit import AuditLog
from billing_app.models.clients import Address, Client, Contact
from billing_app.models.company import Company
from billing_app.models.invoices import Invoice, InvoiceStatus

TODAY = date(2026, 6, 30)


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def company(db) -> Company:
    company = db.exec(select(Company).order_by(Company.id)).first()
    if company is None:
        company = Company(name="Test GmbH")
        db.add(company)
        db.flush()
    return company


@pytest.fixture
def add_invoice(db, company):
    """add_invoice(client, status, total, paid="0", balance=None, issue=..., due=..., ...).

    Inserts the row as it is, with the figures given: the query tests check sums, not the
    invoice rules. The balance defaults to total - paid.
    """

    def make(client: Client, status: InvoiceStatus, total: str, paid: str = "0",
             balance: str | None = None, issue: date = date(2026, 6, 1),
             due: date | None = None, paid_at: datetime | None = None,
             currency: str | None = None) -> Invoice:
        total_, paid_ = Decimal(total), Decimal(paid)
        invoice = Invoice(
            company_id=company.id, client_id=client.id, status=status,
            number=None if status == InvoiceStatus.DRAFT else f"T-{uuid.uuid4().hex[:16]}",
            issue_date=issue, due_date=due or issue, currency=currency or client.currency,
            subtotal=total_, total=total_, amount_paid=paid_,
            balance_due=total_ - paid_ if balance is None else Decimal(balance),
            paid_at=paid_at,
        )
        db.add(invoice)
        db.flush()
        return invoice

    return make


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def counts(db) -> tuple[int, int, int, int]:
    """Rows of clients, contacts, addresses and audit entries: to show nothing was written."""
    return tuple(db.exec(select(func.count()).select_from(model)).one()
                 for model in (Client, Contact, Address, AuditLog))


def audit_entries(db, client_id: int) -> list[AuditLog]:
    return list(db.exec(
        select(AuditLog).where(AuditLog.entity_type == "client",
                               AuditLog.entity_id == str(client_id)).order_by(AuditLog.id)
    ).all())
