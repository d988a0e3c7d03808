"""The commands README gives, run as a user would, on the zero-setup SQLite database."""

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from billing_app.settings import PROJECT_ROOT


def cli(tmp_path, *args, input_text=None):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'billing.db'}",
           "DATA_DIR": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "billing_app.cli", *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, input=input_text, timeout=300)


def test_demo_data_loads_once_and_a_first_admin_can_be_added(tmp_path):
    assert cli(tmp_path, "migrate").returncode == 0
    first = cli(tmp_path, "demo-data", "--if-empty", "--invoices", "120")
    assert first.returncode == 0, first.stderr
    second = cli(tmp_path, "demo-data", "--if-empty", "--invoices", "120")
    assert second.returncode == 0 and "nothing loaded" in second.stdout.lower()
    sample = cli(tmp_path, "sample-statement", "--out", str(tmp_path / "statement.csv"))
    assert sample.returncode == 0, sample.stderr
    assert (tmp_path / "statement.csv").read_text().startswith("Booking date,Amount,Currency")

    created = cli(tmp_path, "create-user", "--email", "Boss@Example.com", "--name", "Boss",
                  "--role", "admin", "--password", "a very long password")
    assert created.returncode == 0, created.stderr
    assert "admin boss@example.com" in created.stdout
    weak = cli(tmp_path, "create-user", "--email", "weak@example.com", "--name", "Weak",
               "--password", "short")
    assert weak.returncode == 1 and "12 characters" in weak.stderr

    with create_engine(f"sqlite:///{tmp_path / 'billing.db'}").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM invoices")).scalar() == 120
        assert conn.execute(text("SELECT count(*) FROM company")).scalar() == 1
        emails = set(conn.execute(text("SELECT email FROM users")).scalars())
    assert {"boss@example.com", "admin@example.com", "client@example.com"} <= emails


def test_first_admin_on_an_empty_database_gets_default_company_settings(tmp_path):
    assert cli(tmp_path, "migrate").returncode == 0
    created = cli(tmp_path, "create-user", "--email", "first@example.com", "--name", "First",
                  "--password", "a very long password")
    assert created.returncode == 0, created.stderr
    with create_engine(f"sqlite:///{tmp_path / 'billing.db'}").connect() as conn:
        assert conn.execute(text("SELECT name, default_currency FROM company")).one() == ("My company", "EUR")
