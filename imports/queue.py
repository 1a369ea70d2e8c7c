"""An import batch's life after the preview: start, follow, retry, cancel, give up when lost.

previewed ─start→ queued ─worker→ running ─→ committed
                    │                 ├──→ failed ─retry→ queued
                    └──cancel──→ cancelled ←──┘ (cancel from queued, running or failed)

Small files run in the request; files of IMPORT_BACKGROUND_ROWS rows or more go to the task
queue. Every state change is a conditional UPDATE, so a double click, two admins or a worker
racing a cancel cannot both win.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from enterprises.models import ImportBatch

State = ImportBatch.State


def lost_worker_message() -> str:
    return _("The worker running this import stopped before it finished (a restart, or out of "
             "memory); nothing was written. Retry the import or cancel it.")


def runs_in_background(batch: ImportBatch) -> bool:
    return batch.total_rows >= settings.IMPORT_BACKGROUND_ROWS


def record_failure(batch_id: int, message: str, *, states=(State.QUEUED, State.RUNNING)) -> bool:
    return bool(ImportBatch.objects.filter(pk=batch_id, state__in=states).update(
        state=State.FAILED, message=message, finished_at=timezone.now(),
        lease_expires_at=None))


def start_batch(batch: ImportBatch, *, from_states=(State.PREVIEWED,)) -> bool:
    """Queue a batch for writing; False when it was not in one of `from_states` (a second
    click, another admin). Small batches are written at once, large ones by the worker."""
    from imports.tasks import import_batch_task, run_batch

    background = runs_in_background(batch)
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, state__in=from_states).update(
            state=State.QUEUED, processed_rows=0, message="", finished_at=None,
            lease_expires_at=None, task_id="")
        if not claimed:
            return False
        if background:  # the task row commits with the state change, or neither does
            result = import_batch_task.enqueue(batch.pk)
            ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))
    if not background:
        run_batch(batch.pk)
    return True


def retry_batch(batch: ImportBatch) -> bool:
    """Run a failed batch again from its stored file and mapping."""
    return start_batch(batch, from_states=(State.FAILED,))


def cancel_batch(batch: ImportBatch, *, user) -> bool:
    """Give a batch up. A running write notices before it commits and rolls back."""
    who = user.get_full_name() or user.get_username()
    return bool(ImportBatch.objects.filter(
        pk=batch.pk, state__in=(State.PREVIEWED, State.QUEUED, State.RUNNING, State.FAILED),
    ).update(state=State.CANCELLED, finished_at=timezone.now(), lease_expires_at=None,
             message=_("Cancelled by %(user)s; nothing was written.") % {"user": who}))


def expire_lost_batches(*, batch_ids=None) -> int:
    """Mark failed every running batch whose worker lease has run out. Returns how many."""
    batches = ImportBatch.objects.filter(state=State.RUNNING,
                                         lease_expires_at__lt=timezone.now())
    if batch_ids is not None:
        batches = batches.filter(pk__in=batch_ids)
    return batches.update(state=State.FAILED, message=lost_worker_message(),
                          finished_at=timezone.now(), lease_expires_at=None)


def refresh_batch(batch: ImportBatch) -> ImportBatch:
    """The batch as it really stands: a lapsed lease, or a queued task that ended without
    running the import (it failed to start), makes it failed. Cheap: one row, one task."""
    now = timezone.now()
    if batch.state == State.RUNNING and batch.lease_expires_at and batch.lease_expires_at < now:
        expire_lost_batches(batch_ids=[batch.pk])
        batch.refresh_from_db()
    elif batch.state == State.QUEUED and batch.task_id:
        message = _queued_task_problem(batch.task_id)
        if message and record_failure(batch.pk, message, states=(State.QUEUED,)):
            batch.refresh_from_db()
    return batch


def _queued_task_problem(task_id: str) -> str:
    from imports.tasks import import_batch_task

    try:
        result = import_batch_task.get_result(task_id)
    except TaskResultDoesNotExist:
        return _("The background task of this import is gone from the queue; nothing was "
                 "written. Retry the import.")
    if result.status == TaskResultStatus.FAILED:
        error = result.errors[-1].exception_class_path if result.errors else ""
        return _("The background task failed before the import started (%(error)s); nothing "
                 "was written. Retry the import.") % {"error": error}
    return ""
