"""Switching this test process's settings to another database (and environment), for a test
package whose servers or workers commit and so get a database of their own."""

import os

from billing_app.db import get_engine
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
    get_engine().dispose()
    get_engine.cache_clear()
