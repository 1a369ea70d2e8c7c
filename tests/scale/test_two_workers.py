"""Two task workers on one queue: every task runs exactly once (issue 15, item 6).

Two `manage.py db_worker` processes claim from the same database queue (django-tasks-db:
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, an exclusive transaction on SQLite). Each
task appends its token and the worker's pid to a file; afterwards every token must be there
exactly once, every task row finished, and both workers must have taken a share.
"""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.scale.tasks import executions, record_execution
from tests.worker import TaskWorker, wait_until

TASKS = 300


@pytest.fixture
def two_workers(transactional_db, tmp_path):
    workers = []
    for n in (1, 2):
        folder = tmp_path / f"worker{n}"
        folder.mkdir()
        workers.append(TaskWorker(folder))
    yield workers
    for worker in workers:
        worker.stop()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_each_task_runs_exactly_once(two_workers, tmp_path):
    path = str(tmp_path / "executions.txt")
    tokens = [f"t{n:04d}" for n in range(TASKS)]
    for token in tokens:
        record_execution.using(backend="default").enqueue(token, path, 20)
    assert DBTaskResult.objects.count() == TASKS
    for worker in two_workers:
        worker.start()

    def finished():
        return not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()

    try:
        wait_until(finished, timeout=180, every=0.5, message="every task finished")
    finally:
        for worker in two_workers:
            worker.stop()
    runs = executions(path)
    assert sorted(runs) == tokens, [w.log() for w in two_workers]
    twice = {token: pids for token, pids in runs.items() if len(pids) != 1}
    assert not twice, f"tasks run more than once: {twice}"
    by_worker = {}
    for (pid,) in runs.values():
        by_worker[pid] = by_worker.get(pid, 0) + 1
    assert len(by_worker) == 2, f"one worker ran everything: {by_worker}"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
