"""A real Celery worker process for tests, in its own process group, started as the compose
file starts it; and a client app on the same broker."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from celery import Celery

from billing_app.settings import PROJECT_ROOT, Settings
from billing_app.tasks.celery_app import celery_app, make_celery


@contextmanager
def celery_worker(*, database_url: str, redis_url: str | None, data_dir: Path, concurrency: int = 1,
                  extra_env: dict[str, str] | None = None) -> Iterator[Celery]:
    """A prefork worker on Redis (or, without redis_url, the embedded SQLite broker with beat in
    one solo process, as `make run` starts it), and a client app made current while it runs.
    Stopped warm at the end, which must end it cleanly; its log is data_dir/worker.log."""
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir), **(extra_env or {})}
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    pool = ["--pool=prefork", f"--concurrency={concurrency}"] if redis_url else ["-B", "--pool=solo"]
    log_path = data_dir / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "billing_app.tasks.celery_app", "worker",
             "--loglevel=INFO", *pool],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    client = make_celery(Settings(redis_url=redis_url, data_dir=data_dir))
    try:
        yield client
    finally:
        client.close()
        celery_app.set_current()
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, log_path.read_text(errors="replace")[-3000:]
