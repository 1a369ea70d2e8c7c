"""A task that records each of its executions, for the exactly-once checks of two workers
(tests/scale/test_two_workers.py, scripts/scaleout_check.sh).

The database task backend finds a task again by its module path, so the worker process
imports this module: it must stay importable from the repository root.
"""

import os
import time

from django_tasks import task


@task()
def record_execution(token: str, path: str, pause_ms: int = 5) -> str:
    """Append `token pid` to `path` (one write with O_APPEND: lines of several processes never
    interleave) and pause a little, so that two workers both get tasks."""
    line = f"{token} {os.getpid()}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    time.sleep(pause_ms / 1000)
    return token


def executions(path: str) -> dict[str, list[str]]:
    """token → the pids of the processes that ran it."""
    runs: dict[str, list[str]] = {}
    if os.path.exists(path):
        with open(path) as lines:
            for line in lines:
                token, pid = line.split()
                runs.setdefault(token, []).append(pid)
    return runs
