"""Copies of a parkportal installation's data: backup archives, their restore, and the move
of a SQLite installation to PostgreSQL (docs/operations.md).

A backup is one `.tar.gz` file:

- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`, taken in an exported
  repeatable-read snapshot) or `database.sqlite3` (SQLite: the online backup API, a consistent
  copy while the app keeps running);
- `media/…`: every file under MEDIA_ROOT (uploaded import files, later attachments);
- `manifest.json`: format, engine, date, Django migration state, the row count of every table
  (read in the same snapshot as the dump) and the media files.

A restore refuses (RefusedError, exit code 2) a target that is not empty unless forced, a
backup from the other engine, and a backup made by newer code. It is all or nothing: for
PostgreSQL one psql transaction wipes the schema, replays the dump and checks every table's row
count against the manifest; for SQLite the checked copy replaces the database in one SQLite
write transaction (the backup API again). Media files are unpacked beside MEDIA_ROOT first and
swapped in only after the database restore succeeded.

The move (`move_database`) copies every row through Django's serializers, which needs three
things plain `dumpdata`/`loaddata` does not do (see docs/operations.md for why): history off
while loading (django-simple-history records an m2m `set()` as a new history row, whose key
then collides with the loaded history rows), the trigger-maintained progress summary loaded
verbatim after the reports, and the dashboard's figures data version carried over.

Passwords never appear on a command line: pg_dump, pg_restore and psql get the connection
through PG* environment variables.
"""

from parkportal.backup.archive import (
    DUMP_NAMES,
    FORMAT,
    MANIFEST,
    MEDIA_DIR,
    NAME_PREFIX,
    NAME_SUFFIX,
    BackupResult,
    create_backup,
    prune,
    read_manifest,
)
from parkportal.backup.databases import (
    data_counts,
    database_counts,
    engine_of,
    extra_database,
    model_counts,
    money_columns,
    money_sums,
    pg_connect,
    pg_counts,
    sqlite_counts,
)
from parkportal.backup.errors import BackupError, RefusedError
from parkportal.backup.move import MoveResult, move_database
from parkportal.backup.restore import RestoreResult, restore_backup

__all__ = [
    "DUMP_NAMES", "FORMAT", "MANIFEST", "MEDIA_DIR", "NAME_PREFIX", "NAME_SUFFIX",
    "BackupError", "BackupResult", "MoveResult", "RefusedError", "RestoreResult",
    "create_backup", "data_counts", "database_counts", "engine_of", "extra_database",
    "model_counts", "money_columns", "money_sums", "move_database", "pg_connect", "pg_counts",
    "prune", "read_manifest", "restore_backup", "sqlite_counts",
]
