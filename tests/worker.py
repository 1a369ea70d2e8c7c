"""A real background worker for tests: `manage.py db_worker` in its own process.

Background behaviour (queueing, progress, completion, failure, a killed worker) is tested
through the database task backend and this process, never the immediate backend. The worker
must see the test's rows, so tests using it are transactional and the test database is a file
(SQLite) or a server (PostgreSQL); see `pytest_configure` in the repository's conftest.py.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def test_database_url() -> str:
    """DATABASE_URL naming the database this test process is using."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or ""
    if db["PORT"]:
        host += f":{db['PORT']}"
    return f"postgres://{auth}{'@' if auth else ''}{host}/{db['NAME']}"


class TaskWorker:
    """Start, stop, kill or drain a db_worker on the test database."""

    def __init__(self, log_dir: Path):
        self.log_path = log_dir / "db_worker.log"
        self.process: subprocess.Popen | None = None

    def env(self) -> dict:
        env = {**os.environ, "DATABASE_URL": test_database_url(),
               "MEDIA_ROOT": str(settings.MEDIA_ROOT),
               "IMPORT_LEASE_SECONDS": str(settings.IMPORT_LEASE_SECONDS),
               "IMPORT_BACKGROUND_ROWS": str(settings.IMPORT_BACKGROUND_ROWS),
               "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def command(self, *extra: str) -> list[str]:
        return [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                "--interval", "0.2", *extra]

    def start(self) -> "TaskWorker":
        assert self.process is None, "worker already running"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(self.command(), cwd=BASE_DIR, env=self.env(),
                                        stdout=log, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """kill -9: what a deploy gone wrong or the OOM killer does."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, sig: int) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def drain(self, timeout: float = 120) -> None:
        """Run every queued task in a `db_worker --batch` process and wait for it to exit."""
        with self.log_path.open("ab") as log:
            subprocess.run(self.command("--batch"), cwd=BASE_DIR, env=self.env(), check=True,
                           stdout=log, stderr=subprocess.STDOUT, timeout=timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_until(condition: Callable[[], bool], *, timeout: float = 60, every: float = 0.1,
               message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")
