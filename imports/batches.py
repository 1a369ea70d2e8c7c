"""Bookkeeping shared by every target's writer: the batch's file hash, its history reason, and
how a commit ends (recorded only while the batch is still running)."""

import hashlib

from django.utils import timezone

from enterprises.models import ImportBatch


class BatchWithdrawn(Exception):
    """The batch stopped being "running" under the writer: cancelled, or given up as lost."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def batch_reason(batch: ImportBatch) -> str:
    """The reason on every history row an import writes."""
    return f"import batch {batch.pk}"


def record_end(batch: ImportBatch, **fields) -> None:
    """Store a batch's end, unless somebody else has ended it meanwhile (cancel, lease)."""
    for name, value in fields.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.RUNNING).update(**fields)


def still_running(batch: ImportBatch) -> None:
    """Inside the write's transaction: lock the batch row; BatchWithdrawn unless running."""
    if not ImportBatch.objects.select_for_update().filter(
            pk=batch.pk, state=ImportBatch.State.RUNNING).exists():
        raise BatchWithdrawn(batch.pk)


def record_committed(batch: ImportBatch, *, created: int, updated: int, unchanged: int,
                     processed_rows: int, **fields) -> None:
    """Inside the write's transaction, after still_running(): the batch is committed with its
    counts (and any other `fields` the target records), its lease and message cleared."""
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.state = ImportBatch.State.COMMITTED
    batch.created_count, batch.updated_count, batch.unchanged_count = created, updated, unchanged
    batch.processed_rows = processed_rows
    batch.finished_at = timezone.now()
    batch.lease_expires_at = None
    batch.message = ""
    batch.save()
