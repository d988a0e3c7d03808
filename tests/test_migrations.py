"""Alembic migrations on PostgreSQL and SQLite: a full round trip, and no drift from the models."""

import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pprint import pformat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Float, Numeric, inspect, text
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlmodel import SQLModel

import billing_app.models  # noqa: F401  (registers the tables)
from billing_app.db import make_engine
from billing_app.demo import generate
from billing_app.settings import PROJECT_ROOT
from tests.conftest import migrate

MODEL_TABLES = set(SQLModel.metadata.tables)
MONEY_COLUMNS = [
    ("invoices", "subtotal"), ("invoices", "discount_total"), ("invoices", "tax_total"),
    ("invoices", "total"), ("invoices", "amount_paid"), ("invoices", "amount_credited"),
    ("invoices", "balance_due"), ("invoice_lines", "unit_price"), ("invoice_lines", "line_net"),
    ("payments", "amount"), ("payment_allocations", "amount"), ("credit_notes", "total"),
    ("products", "unit_price"), ("clients", "credit_limit"),
]
KEY_FOREIGN_KEYS = [
    ("invoices", "client_id", "clients"), ("invoices", "company_id", "company"),
    ("invoice_lines", "invoice_id", "invoices"), ("payments", "client_id", "clients"),
    ("payment_allocations", "payment_id", "payments"),
    ("payment_allocations", "invoice_id", "invoices"), ("credit_notes", "invoice_id", "invoices"),
    ("user_sessions", "user_id", "users"), ("users", "client_id", "clients"),
]


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return request.getfixturevalue("pg_server").create_database(f"mig_{uuid.uuid4().hex[:12]}")


def alembic_cli(*args: str, database_url: str) -> None:
    """The alembic command line, as the compose `migrate` service runs it (URL from the env)."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "alembic", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_database):
    alembic_cli("upgrade", "head", database_url=empty_database)
    assert table_names(empty_database) == MODEL_TABLES | {"alembic_version"}

    alembic_cli("downgrade", "base", database_url=empty_database)
    assert table_names(empty_database) == {"alembic_version"}

    alembic_cli("upgrade", "head", database_url=empty_database)
    assert table_names(empty_database) == MODEL_TABLES | {"alembic_version"}


def test_models_match_the_migrated_schema(empty_database):
    migrate(empty_database)
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "target_metadata": SQLModel.metadata,
                  "render_as_batch": connection.dialect.name == "sqlite"},
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], "models and migrations differ:\n" + pformat(diff)


@pytest.fixture(scope="module")
def pg_schema(pg_engine):
    """The inspector of the migrated PostgreSQL test database."""
    return inspect(pg_engine)


@pytest.mark.parametrize(("table", "column"), MONEY_COLUMNS)
def test_money_is_exact_numeric(pg_schema, table, column):
    (column_type,) = [c["type"] for c in pg_schema.get_columns(table) if c["name"] == column]

    assert isinstance(column_type, Numeric) and not isinstance(column_type, Float)
    assert (column_type.precision, column_type.scale) == (19, 4)


def test_no_column_is_float_or_a_naive_timestamp(pg_schema):
    columns = [(table, c) for table in MODEL_TABLES for c in pg_schema.get_columns(table)]
    floats = [(t, c["name"]) for t, c in columns if isinstance(c["type"], Float)]
    timestamps = [(t, c) for t, c in columns if isinstance(c["type"], TIMESTAMP)]
    naive = [(t, c["name"]) for t, c in timestamps if not c["type"].timezone]

    assert floats == []
    assert naive == []
    assert ("invoices", "created_at") in {(t, c["name"]) for t, c in timestamps}


def test_invoice_numbers_are_unique_per_company(pg_schema):
    unique = [u["column_names"] for u in pg_schema.get_unique_constraints("invoices")]

    assert ["company_id", "number"] in unique


def test_foreign_keys_exist(pg_schema):
    found = {
        (table, column, fk["referred_table"])
        for table in MODEL_TABLES
        for fk in pg_schema.get_foreign_keys(table)
        for column in fk["constrained_columns"]
    }
    expected = {
        (table.name, fk.parent.name, fk.column.table.name)
        for table in SQLModel.metadata.tables.values()
        for fk in table.foreign_keys
    }

    assert set(KEY_FOREIGN_KEYS) <= found
    assert found == expected



def test_payments_learn_their_allocated_amount_when_upgraded_with_data(empty_database):
    """0005 sums each payment's allocations into amount_allocated under a new check
    (allocated <= amount). Demo payments are fully allocated; on SQLite, which stores money
    as REAL, a float sum such as 100.10 + 200.20 must still come out as the amount."""
    migrate(empty_database)
    engine = make_engine(empty_database)
    generate(engine, invoices=1500, seed=11)
    engine.dispose()
    alembic_cli("downgrade", "0004", database_url=empty_database)
    alembic_cli("upgrade", "head", database_url=empty_database)
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT amount, amount_allocated FROM payments")).all()
    engine.dispose()
    assert len(rows) > 500
    assert all(Decimal(str(amount)) == Decimal(str(allocated)) for amount, allocated in rows)
