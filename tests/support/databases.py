"""Switching this test process's settings to another database (and environment), for a test
package whose servers or workers commit and so get a database of their own."""

import os

from billing_app.db import forget_engines, make_engine
from billing_app.settings import get_settings


def use_database(url: str, **env: str | None) -> None:
    """Make `url` the app's default database; set each of `env` (None: unset it)."""
    os.environ["DATABASE_URL"] = url
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    get_settings.cache_clear()
    forget_engines()


def demo_database(pg_server, name: str, *, invoices: int = 300, seed: int = 7) -> str:
    """A new database `name` on the server, migrated and filled with demo data; its URL."""
    from billing_app.demo import generate
    from tests.conftest import migrate

    url = pg_server.create_database(name)
    migrate(url)
    engine = make_engine(url)
    generate(engine, invoices=invoices, seed=seed)
    engine.dispose()
    return url
