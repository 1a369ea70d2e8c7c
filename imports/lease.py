"""The lease a running import holds: its worker renews it; a lapsed lease means a lost worker.

A worker killed mid-import (deploy, OOM, kill -9) cannot say so. Instead, while a batch runs, a
small thread renews `ImportBatch.lease_expires_at` every quarter of IMPORT_LEASE_SECONDS; once
the lease is past, nobody is working on the batch and it can be marked failed. Nothing of it was
written: the commit is one transaction, which died with the worker.
"""

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from enterprises.models import ImportBatch

logger = logging.getLogger(__name__)


def lease_deadline(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def renew_lease(batch_id: int) -> bool:
    """Extend a running batch's lease; False when the batch is no longer running."""
    return bool(ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.RUNNING)
                .update(lease_expires_at=lease_deadline()))


class LeaseKeeper:
    """Renew a batch's lease from a background thread for as long as the `with` block runs."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.interval = max(settings.IMPORT_LEASE_SECONDS / 4, 0.5)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"import-lease-{batch_id}")

    def __enter__(self) -> "LeaseKeeper":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    if not renew_lease(self.batch_id):
                        return
                except DatabaseError:  # e.g. SQLite busy during the commit: try next time
                    logger.warning("could not renew the lease of import batch %s",
                                   self.batch_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection
