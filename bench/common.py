"""What the benchmark scripts share: a PostgreSQL server, fresh databases, the results file."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from billing_app.db import make_engine
from tests.support.servers import PostgresServer


@contextmanager
def postgres_server(url: str | None) -> Iterator[str]:
    """The URL of the server given, or of a throw-away one started for the block."""
    if url:
        yield url
        return
    server = PostgresServer()
    try:
        yield server.url()
    finally:
        server.stop()


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server; return its URL."""
    engine = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return engine.url.set(database=name).render_as_string(hide_password=False)


def save_result(path: Path, key: str, result: dict) -> None:
    """Merge one run into a JSON file of runs keyed by `key`, and print it."""
    results = json.loads(path.read_text()) if path.exists() else {}
    results[key] = result
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(json.dumps(result, indent=2))
