"""The real app, started the way README starts it: `reflex run --env prod` on one port."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from billing_app.settings import PROJECT_ROOT
from tests.support.servers import free_port


_NOT_COPIED = (".git", ".venv", ".tools", ".web", "var", "tests", "bench", "__pycache__",
               ".pytest_cache", ".hypothesis", "*.db")


def private_copy(workdir: Path) -> Path:
    """The project copied to `workdir`, so test runs never share a frontend build."""
    shutil.copytree(PROJECT_ROOT, workdir, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    return workdir


def built_copy(app: "LiveApp", workdir: Path) -> Path:
    """Another copy of a running app's project with its frontend build, for a second process
    of the same app: it skips installing the frontend's packages."""
    shutil.copytree(app.workdir, workdir, symlinks=True, ignore=shutil.ignore_patterns("var", "__pycache__"))
    return workdir


class LiveApp:
    def __init__(self, env: dict[str, str], log_path: Path, workdir: Path, *,
                 built: "LiveApp | None" = None) -> None:
        self.workdir = private_copy(workdir) if built is None else built_copy(built, workdir)
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.log_path = log_path
        bin_dir = Path(sys.executable).parent
        full_env = {
            **os.environ,
            **env,
            "APP_PORT": str(self.port),
            "APP_URL": self.url,
            "DATA_DIR": str(self.workdir / "var"),  # where its workers look for kept files too
            "PATH": f"{PROJECT_ROOT / '.tools/node_modules/.bin'}:{bin_dir}:{os.environ['PATH']}",
            "REFLEX_USE_SYSTEM_BUN": "1",
            "REFLEX_TELEMETRY_ENABLED": "false",
        }
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [str(bin_dir / "reflex"), "run", "--env", "prod", "--single-port",
             "--backend-port", str(self.port), "--loglevel", "info"],
            cwd=self.workdir,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 420) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/ping", timeout=2).status_code == 200 and \
                        httpx.get(f"{self.url}/login", timeout=5, follow_redirects=True).status_code == 200:
                    self._refuse_deprecations()
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise TimeoutError(f"the app did not start:\n{self.log_tail()}")

    def _refuse_deprecations(self) -> None:
        """The build fails on anything Reflex has deprecated: it would break in the next version."""
        log = self.log_path.read_text(errors="replace")
        if "DeprecationWarning" in log or "has been deprecated" in log:
            raise RuntimeError(f"the app's build uses deprecated Reflex features:\n{log[-4000:]}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """The prod server may ignore SIGTERM for a while: stop its whole group, then kill."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()
