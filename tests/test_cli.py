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


def test_fresh_sqlite_database_gets_schema_first_admin_and_demo_data_once(tmp_path):
    assert cli(tmp_path, "migrate").returncode == 0
    created = cli(tmp_path, "create-user", "--email", "Boss@Example.com", "--name", "Boss",
                  "--role", "admin", "--password", "a very long password")
    assert created.returncode == 0, created.stderr
    assert "admin boss@example.com" in created.stdout

    weak = cli(tmp_path, "create-user", "--email", "weak@example.com", "--name", "Weak",
               "--password", "short")
    assert weak.returncode == 1 and "12 characters" in weak.stderr

    first = cli(tmp_path, "demo-data", "--if-empty", "--invoices", "120")
    assert first.returncode == 0, first.stderr
    second = cli(tmp_path, "demo-data", "--if-empty", "--invoices", "120")
    assert "nothing loaded" in second.stdout

    engine = create_engine(f"sqlite:///{tmp_path / 'billing.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM invoices")).scalar() == 120
        emails = set(conn.execute(text("SELECT email FROM users")).scalars())
    assert {"boss@example.com", "admin@example.com", "client@example.com"} <= emails
