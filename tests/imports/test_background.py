"""Large imports through the real parts: the database task backend and a db_worker process.

Queueing, completion, failure, cancelling, a worker killed mid-import and the retry after it.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from enterprises.importing.queue import lost_worker_message
from enterprises.models import Enterprise, ImportBatch
from tests.imports import files
from tests.worker import wait_until

State = ImportBatch.State


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def background(settings):
    settings.IMPORT_BACKGROUND_ROWS = 10
    return settings


def preview(client, n_rows, name="big.csv"):
    data = files.csv_bytes([files.HEADER, *files.rows(n_rows)])
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk")


def commit(client, batch):
    return client.post(reverse("imports:commit", args=[batch.pk]))


def fresh(batch):
    batch.refresh_from_db()
    return batch


def test_commit_queues_a_task_that_the_worker_runs(admin_client, park, industries, background,
                                                  task_worker):
    batch = preview(admin_client, 30)
    response = commit(admin_client, batch)
    assert response.status_code == 302  # never the 400 of a task the backend refuses
    batch = fresh(batch)
    assert batch.state == State.QUEUED and batch.task_id
    task = DBTaskResult.objects.get(pk=batch.task_id)
    assert task.status == "READY" and task.task_path.endswith("tasks.import_batch_task")
    page = admin_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="import-progress"' in page and "hx-get" in page

    task_worker.drain()
    batch = fresh(batch)
    assert batch.state == State.COMMITTED, (batch.message, task_worker.log())
    assert (batch.created_count, batch.processed_rows) == (30, 30)
    assert Enterprise.objects.filter(park=park).count() == 30
    assert DBTaskResult.objects.get(pk=batch.task_id).status == "SUCCESSFUL"
    status = admin_client.get(reverse("imports:status", args=[batch.pk]))
    assert status["HX-Refresh"] == "true"


def test_small_file_is_written_in_the_request(admin_client, park, industries, settings):
    settings.IMPORT_BACKGROUND_ROWS = 100
    batch = preview(admin_client, 5)
    commit(admin_client, batch)
    batch = fresh(batch)
    assert batch.state == State.COMMITTED and not batch.task_id
    assert not DBTaskResult.objects.exists()


def test_a_second_click_queues_nothing_more(admin_client, park, industries, background,
                                          task_worker):
    batch = preview(admin_client, 12)
    commit(admin_client, batch)
    response = commit(admin_client, batch)
    assert response.status_code == 302 and DBTaskResult.objects.count() == 1
    task_worker.drain()
    assert fresh(batch).state == State.COMMITTED
    assert Enterprise.objects.count() == 12


def test_unreadable_stored_file_fails_with_a_message(admin_client, park, industries,
                                                     background, task_worker):
    batch = preview(admin_client, 12)
    commit(admin_client, batch)
    with open(fresh(batch).file.path, "wb") as handle:  # the stored file went bad meanwhile
        handle.write(b"\x00\x01 not a spreadsheet")
    task_worker.drain()
    batch = fresh(batch)
    assert batch.state == State.FAILED and batch.message and batch.lease_expires_at is None
    assert Enterprise.objects.count() == 0


def test_cancelled_before_the_worker_starts(admin_client, park, industries, background,
                                            task_worker):
    batch = preview(admin_client, 12)
    commit(admin_client, batch)
    admin_client.post(reverse("imports:cancel", args=[batch.pk]))
    task_worker.drain()
    batch = fresh(batch)
    assert batch.state == State.CANCELLED and "admin" in batch.message
    assert Enterprise.objects.count() == 0


def test_task_gone_from_the_queue_is_reported(admin_client, park, industries, background):
    batch = preview(admin_client, 12)
    commit(admin_client, batch)
    DBTaskResult.objects.all().delete()  # e.g. pruned by an operator
    admin_client.get(reverse("imports:batch", args=[batch.pk]))
    batch = fresh(batch)
    assert batch.state == State.FAILED and batch.message


def test_killed_worker_leaves_nothing_and_the_import_can_be_retried(
        admin_client, park, industries, background, settings, task_worker):
    settings.IMPORT_LEASE_SECONDS = 2
    batch = preview(admin_client, 20_000)
    commit(admin_client, batch)
    task_worker.start()
    wait_until(lambda: fresh(batch).state == State.RUNNING, timeout=60,
               message="the worker to claim the batch")
    task_worker.kill()
    assert fresh(batch).state == State.RUNNING  # nobody can tell yet

    # The lease runs out; the next look at the batch tells the admin what happened.
    def reported_failed():
        admin_client.get(reverse("imports:status", args=[batch.pk]))
        return fresh(batch).state == State.FAILED

    wait_until(reported_failed, timeout=30, every=0.5, message="the lease to run out")
    assert fresh(batch).message == lost_worker_message()
    assert Enterprise.objects.count() == 0  # the write died with its transaction
    page = admin_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="retry-button"' in page

    admin_client.post(reverse("imports:retry", args=[batch.pk]))
    assert fresh(batch).state == State.QUEUED
    task_worker.drain(timeout=300)
    batch = fresh(batch)
    assert batch.state == State.COMMITTED, (batch.message, task_worker.log())
    assert Enterprise.objects.count() == 20_000 == batch.created_count


def test_next_worker_gives_up_a_batch_whose_worker_died(admin_client, park, industries,
                                                       background, settings, task_worker):
    from django.utils import timezone

    lost = preview(admin_client, 12, "lost.csv")
    ImportBatch.objects.filter(pk=lost.pk).update(  # as a killed worker leaves it
        state=State.RUNNING, lease_expires_at=timezone.now() - timezone.timedelta(seconds=1))
    batch = preview(admin_client, 12, "next.csv")
    commit(admin_client, batch)
    task_worker.drain()
    assert fresh(batch).state == State.COMMITTED
    lost = fresh(lost)
    assert lost.state == State.FAILED and lost.message == lost_worker_message()


def test_cancel_while_rows_are_checked_writes_nothing(admin_client, park, industries,
                                                     monkeypatch):
    # In-process on purpose: the cancel is injected after the rows are checked, just before
    # the write, which must then notice the batch is no longer running and roll back.
    from enterprises.importing import writer
    from enterprises.importing.queue import cancel_batch
    from enterprises.importing.tasks import run_batch

    batch = preview(admin_client, 5)
    ImportBatch.objects.filter(pk=batch.pk).update(state=State.QUEUED)
    real_analyse = writer.analyse

    def analyse_then_cancel(*args, **kwargs):
        result = real_analyse(*args, **kwargs)
        cancel_batch(batch, user=batch.created_by)
        return result

    monkeypatch.setattr(writer, "analyse", analyse_then_cancel)
    assert run_batch(batch.pk) == {"batch": batch.pk, "withdrawn": True}
    assert fresh(batch).state == State.CANCELLED
    assert Enterprise.objects.count() == 0


def test_strict_batch_with_rejected_rows_fails_in_the_worker(admin_client, park, industries,
                                                            background, task_worker):
    data = files.csv_bytes([files.HEADER, *files.rows(12),
                            ["13", "坏行企业", "123", "", "", "", ""]])
    response = admin_client.post(reverse("imports:upload"),
                                 {"file": SimpleUploadedFile("strict.csv", data)})
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("pk")
    ImportBatch.objects.filter(pk=batch.pk).update(strict=True)  # ticked on the preview
    commit(admin_client, batch)
    assert fresh(batch).state == State.QUEUED
    task_worker.drain()
    batch = fresh(batch)
    assert batch.state == State.FAILED, (batch.message, task_worker.log())
    assert "1" in batch.message and batch.rejected_count == 1
    assert batch.lease_expires_at is None and batch.finished_at is not None
    assert Enterprise.objects.count() == 0
    assert not ImportBatch.objects.filter(state=State.RUNNING).exists()


@pytest.fixture
def enterprise_inserts_refused(transactional_db):
    """The database refuses every new enterprise row (a trigger), as a full disk or a broken
    constraint would: a failure inside the worker's write, not in reading the file."""
    from django.db import connection

    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE FUNCTION pp_test_refuse() RETURNS trigger AS $$ BEGIN "
                           "RAISE EXCEPTION 'disk full (test)'; END $$ LANGUAGE plpgsql")
            cursor.execute(f"CREATE TRIGGER pp_test_refuse BEFORE INSERT ON {table} "
                           "FOR EACH ROW EXECUTE FUNCTION pp_test_refuse()")
        else:
            cursor.execute(f"CREATE TRIGGER pp_test_refuse BEFORE INSERT ON {table} "
                           "BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER pp_test_refuse"
                       f"{' ON ' + table if connection.vendor == 'postgresql' else ''}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION pp_test_refuse()")


def test_a_write_failing_in_the_worker_fails_the_batch(admin_client, park, industries,
                                                      background, task_worker,
                                                      enterprise_inserts_refused):
    batch = preview(admin_client, 12)
    commit(admin_client, batch)
    task_worker.drain()
    batch = fresh(batch)
    assert batch.state == State.FAILED, (batch.message, task_worker.log())
    assert "disk full (test)" in batch.message
    assert batch.lease_expires_at is None and batch.finished_at is not None
    assert Enterprise.objects.count() == 0 and Enterprise.history.count() == 0
    assert DBTaskResult.objects.get(pk=batch.task_id).status == "SUCCESSFUL"  # handled
    assert not ImportBatch.objects.filter(state=State.RUNNING).exists()
    # The admin may retry once the cause is gone.
    page = admin_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="retry-button"' in page


@pytest.mark.parametrize(("rows", "queued"), [(10, True), (9, False)])
def test_the_queue_threshold_counts_from_its_own_row(admin_client, park, industries,
                                                     background, rows, queued):
    """IMPORT_BACKGROUND_ROWS (10 here) rows or more go to the worker; fewer are written in
    the request."""
    batch = preview(admin_client, rows)
    commit(admin_client, batch)
    batch = fresh(batch)
    if queued:
        assert batch.state == State.QUEUED and batch.task_id
        assert DBTaskResult.objects.filter(pk=batch.task_id).exists()
        assert Enterprise.objects.count() == 0
    else:
        assert batch.state == State.COMMITTED and not batch.task_id
        assert not DBTaskResult.objects.exists() and Enterprise.objects.count() == rows
