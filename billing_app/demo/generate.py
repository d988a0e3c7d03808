"""Deterministic demo data for an empty, migrated database: the same seed gives the same data."""

import gc
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, func, select, text
from sqlmodel import Session, SQLModel

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.demo import catalog
from billing_app.demo.bulk import TableWriter
from billing_app.demo.clients import make_clients
from billing_app.demo.dates import at, issue_dates, span_start
from billing_app.demo.invoices import CreditNoteDraft, DocumentNumbers, InvoiceFactory, Staff
from billing_app.errors import Conflict
from billing_app.models.base import utcnow
from billing_app.models.company import TaxRounding
from billing_app.models.invoices import CreditNoteStatus
from billing_app.models.users import Role, User
from billing_app.services.users import user_create

CHUNK = 10_000  # invoices built and written at a time
BULK_TABLES = ("invoices", "invoice_lines", "invoice_line_taxes", "payments",
               "payment_allocations", "invoice_status_history")
TABLES = ("company", "tax_rates", "products", "clients", "contacts", "addresses", *BULK_TABLES,
          "credit_notes", "number_sequences")
CREDIT_NOTE_COLUMNS = ("id", "company_id", "number", "invoice_id", "client_id", "status",
                       "issue_date", "currency", "reason", "subtotal", "tax_total", "total",
                       "created_by_id", "created_at")
DEMO_USERS = (  # (email, name, role); the client user belongs to client 1
    ("admin@example.com", "Alice Admin", Role.ADMIN),
    ("accountant@example.com", "Arthur Accountant", Role.ACCOUNTANT),
    ("viewer@example.com", "Vera Viewer", Role.VIEWER),
    ("client@example.com", "Clara Client", Role.CLIENT),
)
TAX_ROUNDING = TaxRounding.DOCUMENT.value


def generate(engine: Engine, *, invoices: int, seed: int = 42, months: int = 18,
             today: date | None = None, timings: dict[str, float] | None = None) -> dict[str, int]:
    """Fill an empty, migrated database with a company, clients, invoices, payments and users.

    Returns the rows written per table. Refuses (Conflict) a database that has business data.
    `timings`, when given, receives the seconds spent writing each table, in ANALYZE (on
    PostgreSQL) and in total.
    """
    if invoices < 0 or months < 1:
        raise ValueError("Give a number of invoices >= 0 over at least one month.")
    started = time.perf_counter()
    today = today or utcnow().date()  # the company it writes keeps the default zone, UTC
    rng = random.Random(seed)
    first_day = span_start(today, months)
    with engine.begin() as connection:
        _refuse_unless_empty(connection)
        writer = TableWriter(connection)
        _write_company(writer, first_day)
        clients = make_clients(rng, writer, max(12, invoices // 15), first_day)
        staff, users = _create_users(connection)
        invoice_numbers = DocumentNumbers(catalog.COMPANY["invoice_number_pattern"])
        factory = InvoiceFactory(
            rng, writer, today=today, clients=clients, staff=staff,
            tax_rates={n: spec.rate for n, spec in enumerate(catalog.TAX_RATES, 1)},
            numbers=invoice_numbers, tax_rounding=TAX_ROUNDING,
        )
        with writer.loading(BULK_TABLES), _without_garbage_collection():
            for position, issue_date in enumerate(issue_dates(rng, invoices, first_day, today), 1):
                factory.add_invoice(issue_date)
                if position % CHUNK == 0:
                    factory.flush()
            factory.flush()
        credit_numbers = _write_credit_notes(writer, factory.credit_notes)
        _write_number_sequences(writer, {"invoice": invoice_numbers, "credit_note": credit_numbers})
        writer.reset_sequences()
    if writer.postgres:
        analyze_started = time.perf_counter()
        with engine.connect() as connection:  # fresh planner statistics for the bulk-loaded tables
            connection.execute(text("ANALYZE"))
            connection.commit()
        writer.seconds["analyze"] = time.perf_counter() - analyze_started
    if timings is not None:
        timings.update(writer.seconds)
        timings["total"] = time.perf_counter() - started
    return {table: writer.rows[table] for table in TABLES} | {"users": users}


@contextmanager
def _without_garbage_collection() -> Iterator[None]:
    """The rows are acyclic and short-lived; cyclic collection would only rescan them (~10%)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _refuse_unless_empty(connection: Connection) -> None:
    for table in ("invoices", "payments", "clients", "products", "tax_rates", "company"):
        count = connection.execute(
            select(func.count()).select_from(SQLModel.metadata.tables[table])
        ).scalar_one()
        if count:
            raise Conflict(
                f"Demo data goes into an empty database only; this one already has {count} "
                f"rows in {table}."
            )


def _write_company(writer: TableWriter, first_day: date) -> None:
    """The company, its tax rates and its products, set up a year before the first invoice."""
    created = at(first_day - timedelta(days=365), 9)
    company = {
        "id": 1, **catalog.COMPANY, "default_currency": catalog.CURRENCY,
        "default_payment_terms_days": 30, "tax_rounding": TAX_ROUNDING, "prices_include_tax": False,
        "locale": "en_US", "created_at": created, "updated_at": created,
    }
    writer.write("company", tuple(company), [tuple(company.values())])
    writer.write(
        "tax_rates",
        ("id", "name", "rate", "description", "is_default", "is_active", "created_at"),
        [(n, spec.name, spec.rate, spec.description, spec.is_default, spec.is_active, created)
         for n, spec in enumerate(catalog.TAX_RATES, 1)],
    )
    writer.write(
        "products",
        ("id", "sku", "name", "description", "unit", "unit_price", "currency",
         "default_tax_rate_id", "is_active", "created_at", "updated_at"),
        [(n, spec.sku, spec.name, None, spec.unit, spec.price, catalog.CURRENCY, spec.tax_rate_id,
          True, created, created) for n, spec in enumerate(catalog.PRODUCTS, 1)],
    )


def _create_users(connection: Connection) -> tuple[Staff, int]:
    """The demo users, through the user service; users that already exist are kept as they are."""
    session = Session(bind=connection)
    created = 0
    ids = {}
    for email, name, role in DEMO_USERS:
        user = session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            user = user_create(session, actor=SYSTEM_ACTOR, email=email, name=name, role=role,
                               password=catalog.PASSWORD, client_id=1 if role == Role.CLIENT else None)
            created += 1
        ids[role] = user.id
    session.close()
    return Staff(admin_id=ids[Role.ADMIN], accountant_id=ids[Role.ACCOUNTANT]), created


def _write_credit_notes(writer: TableWriter, drafts: list[CreditNoteDraft]) -> DocumentNumbers:
    numbers = DocumentNumbers(catalog.COMPANY["credit_note_number_pattern"])
    ordered = sorted(drafts, key=lambda d: (d.issue_date, d.created_at, d.invoice_id))
    writer.write("credit_notes", CREDIT_NOTE_COLUMNS, [
        (n, 1, numbers.next(d.issue_date), d.invoice_id, d.client_id, CreditNoteStatus.ISSUED.value,
         d.issue_date, catalog.CURRENCY, d.reason, d.subtotal, d.tax_total, d.total,
         d.created_by_id, d.created_at)
        for n, d in enumerate(ordered, 1)
    ])
    return numbers


def _write_number_sequences(writer: TableWriter, numbers: dict[str, DocumentNumbers]) -> None:
    """Leave every sequence at the next free number."""
    rows = [(kind, period, last + 1) for kind, sequence in numbers.items()
            for period, last in sorted(sequence.sequences.items())]
    writer.write("number_sequences", ("id", "company_id", "kind", "period_key", "next_value"),
                 [(n, 1, kind, period, value) for n, (kind, period, value) in enumerate(rows, 1)])
