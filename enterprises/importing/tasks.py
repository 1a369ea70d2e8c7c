"""The background import: large files are committed by a django-tasks worker."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from enterprises.importing.reader import ImportFileError
from enterprises.importing.writer import rerun_batch
from enterprises.models import ImportBatch

logger = logging.getLogger(__name__)


def _fail(batch_id: int, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        state=ImportBatch.State.FAILED, message=message, finished_at=timezone.now())


def run_batch(batch_id: int) -> dict:
    """Commit a queued batch, recording progress (rows validated) on the batch as it goes."""
    claimed = ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.QUEUED).update(
        state=ImportBatch.State.RUNNING, processed_rows=0)
    if not claimed:  # already run, or no longer queued
        return {"batch": batch_id, "skipped": True}
    batch = ImportBatch.objects.select_related("park", "created_by").get(pk=batch_id)

    def progress(rows: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(processed_rows=rows)

    try:
        outcome = rerun_batch(batch, progress=progress)
    except ImportFileError as exc:
        _fail(batch_id, str(exc))
        return {"batch": batch_id, "failed": True}
    except Exception as exc:  # commit() has marked the batch failed when it got that far
        logger.exception("import batch %s failed", batch_id)
        if ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.RUNNING).exists():
            _fail(batch_id, _("The import failed and nothing was written: %(error)s")
                  % {"error": exc})
        return {"batch": batch_id, "failed": True}
    result = outcome.as_json()
    result.pop("errors")
    return result


import_batch_task = task()(run_batch)
