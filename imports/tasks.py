"""The background import: a django-tasks worker (`manage.py db_worker`) commits large files
of any target (imports.targets).

`import_batch_task` is the task the queue stores; the database backend finds it again by its
module path, so it must be the decorated module-level object itself. `run_batch` is the plain
work, also run in the request for small files.
"""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from enterprises.models import ImportBatch
from imports.batches import BatchWithdrawn
from imports.lease import LeaseKeeper, lease_deadline
from imports.queue import expire_lost_batches, record_failure
from imports.reader import ImportFileError
from imports.targets import target_of

logger = logging.getLogger(__name__)


def rerun_batch(batch: ImportBatch, **kwargs):
    """Re-read and commit a stored batch with its target's reader and writer (a name the
    tests can patch, as they did when this was the enterprise writer's function)."""
    return target_of(batch).rerun(batch, **kwargs)


def run_batch(batch_id: int) -> dict:
    """Commit a queued batch, recording progress (rows validated) on the batch as it goes."""
    expire_lost_batches()  # a worker that died before this one left its batch running
    claimed = ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.QUEUED).update(
        state=ImportBatch.State.RUNNING, processed_rows=0, lease_expires_at=lease_deadline())
    if not claimed:  # already run, cancelled, or no longer queued
        return {"batch": batch_id, "skipped": True}
    batch = ImportBatch.objects.select_related("park", "created_by").get(pk=batch_id)

    def progress(rows: int) -> None:
        ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.RUNNING)\
            .update(processed_rows=rows, lease_expires_at=lease_deadline())

    try:
        with LeaseKeeper(batch_id):
            outcome = rerun_batch(batch, progress=progress)
    except BatchWithdrawn:
        return {"batch": batch_id, "withdrawn": True}
    except ImportFileError as exc:
        record_failure(batch_id, str(exc))
        return {"batch": batch_id, "failed": True}
    except Exception as exc:  # commit() has marked the batch failed when it got that far
        logger.exception("import batch %s failed", batch_id)
        record_failure(batch_id, _("The import failed and nothing was written: %(error)s")
                       % {"error": exc})
        return {"batch": batch_id, "failed": True}
    result = outcome.as_json()
    result.pop("errors", None)
    result.pop("warnings", None)
    return result


@task()
def import_batch_task(batch_id: int) -> dict:
    return run_batch(batch_id)
