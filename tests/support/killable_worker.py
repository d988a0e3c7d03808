"""A Celery worker that a test can kill with SIGKILL and start again, as a crash and a restart
by the process supervisor would (the graceful one is tests/support/celery_worker.py)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from billing_app.settings import PROJECT_ROOT


class KillableWorker:
    """A prefork worker with one child, in its own process group; log in data_dir/worker-N.log."""

    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.env, self.data_dir = {**os.environ, **env}, data_dir
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with open(self.data_dir / f"worker-{self.starts}.log", "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "billing_app.tasks.celery_app", "worker",
                 "--loglevel=INFO", "--pool=prefork", "--concurrency=1"],
                cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def kill(self) -> None:
        """SIGKILL to the whole group: no shutdown, no acks, open transactions cut off."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def logs(self) -> str:
        return "\n".join((self.data_dir / f"worker-{n}.log").read_text(errors="replace")
                         for n in range(1, self.starts + 1))
