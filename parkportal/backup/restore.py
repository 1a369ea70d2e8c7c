"""Restoring an archive: all or nothing, into an empty database unless forced."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

from parkportal.backup.archive import MEDIA_DIR, extract, media_files, read_manifest
from parkportal.backup.databases import (
    code_migrations,
    database_counts,
    engine_of,
    pg_connect,
    pg_env,
    pg_tool,
    quote_name,
    refuse_not_empty,
    sqlite_counts,
)
from parkportal.backup.errors import BackupError, RefusedError

MOVE_DOC = "docs/operations.md, \"Moving from SQLite to PostgreSQL\" (manage.py move_database)"


@dataclass
class RestoreResult:
    manifest: dict
    seconds: float
    media_files: int
    notes: list[str] = field(default_factory=list)


def _check_migrations(manifest: dict, force: bool) -> list[str]:
    known = code_migrations()
    backup = set(manifest["migrations"])
    newer = sorted(backup - known)
    if newer and not force:
        raise RefusedError(
            f"the backup was made by newer code: {len(newer)} migration(s) this code does not "
            f"have ({', '.join(newer[:5])}{' …' if len(newer) > 5 else ''}). Deploy the "
            f"version that made it, or pass --force.")
    if known - backup:
        return [f"the backup predates {len(known - backup)} migration(s) of this code: run "
                f"`manage.py migrate` now"]
    return []


RESTORE_ADVICE = ("Restore into an empty database, or pass --force to replace everything "
                  "in it.")


def _media_not_empty(media_root: Path) -> int:
    return len(media_files(media_root))


def _pg_wipe_sql(cursor) -> str:
    """DROP statements for everything in the current schema except extension members."""
    not_extension = ("NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
                     "AND d.deptype = 'e')")
    statements = []
    cursor.execute("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
                   "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                   f"AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {not_extension}")
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW",
             "S": "SEQUENCE", "f": "FOREIGN TABLE"}
    # Tables first: dropping them drops the sequences they own (IF EXISTS skips those).
    order = "rpfmvS"
    for name, kind in sorted(cursor.fetchall(), key=lambda row: (order.index(row[1]), row[0])):
        statements.append(f"DROP {kinds[kind]} IF EXISTS {quote_name(name)} CASCADE;")
    cursor.execute("SELECT c.oid::regprocedure::text FROM pg_proc c JOIN pg_namespace n "
                   "ON n.oid = c.pronamespace WHERE n.nspname = current_schema() "
                   f"AND c.prokind IN ('f', 'p') AND {not_extension}")
    for (signature,) in cursor.fetchall():
        statements.append(f"DROP ROUTINE IF EXISTS {signature} CASCADE;")
    return "\n".join(statements) + "\n"


def _pg_verify_sql(counts: dict[str, int]) -> str:
    """A DO block raising (so rolling the whole restore back) on any count mismatch."""
    checks = []
    for table, expected in sorted(counts.items()):
        literal = "'" + table.replace("'", "''") + "'"
        checks.append(
            f"  SELECT COUNT(*) INTO n FROM public.{quote_name(table)};\n"
            f"  IF n <> {int(expected)} THEN RAISE EXCEPTION 'restore check: table % has % "
            f"rows, the backup had %', {literal}, n, {int(expected)}; END IF;")
    return ("DO $parkportal$\nDECLARE n bigint;\nBEGIN\n" + "\n".join(checks)
            + "\nEND\n$parkportal$;\n")


def _restore_postgresql(db: dict, workdir: Path, manifest: dict) -> None:
    dump = workdir / manifest["dump"]
    with pg_connect(db, autocommit=True) as conn, conn.cursor() as cursor:
        wipe = _pg_wipe_sql(cursor)
    (workdir / "wipe.sql").write_text(wipe)
    (workdir / "verify.sql").write_text(_pg_verify_sql(manifest["tables"]))
    env = pg_env(db)
    # A running app or worker holds locks the wipe waits for: give up rather than hang.
    env["PGOPTIONS"] = "-c lock_timeout=60s"
    restore = subprocess.Popen(
        [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    psql = subprocess.run(
        [pg_tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
         "--single-transaction", "--file", str(workdir / "wipe.sql"), "--file", "-",
         "--file", str(workdir / "verify.sql")],
        stdin=restore.stdout, capture_output=True, text=True, env=env)
    restore.stdout.close()
    restore_err = restore.stderr.read().decode(errors="replace")
    restore.wait()
    if restore.returncode != 0 or psql.returncode != 0:
        detail = (psql.stderr.strip() or restore_err.strip())[-2000:]
        raise BackupError(f"restore failed and was rolled back, the database is as before: "
                          f"{detail}")


def _restore_sqlite(db: dict, workdir: Path, manifest: dict) -> None:
    name = str(db["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("cannot restore into an in-memory SQLite database")
    source = sqlite3.connect(workdir / manifest["dump"])
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the database in the backup fails SQLite's integrity check")
        if sqlite_counts(source) != manifest["tables"]:
            raise BackupError("the database in the backup does not match its manifest")
        target = sqlite3.connect(name, timeout=60)
        try:
            # One write transaction on the target: other connections see the old database
            # or the restored one, never a mixture.
            source.backup(target)
            if sqlite_counts(target) != manifest["tables"]:
                raise BackupError("restored SQLite database does not match the manifest")
        finally:
            target.close()
    finally:
        source.close()


def _swap_media(staged: Path | None, media_root: Path) -> int:
    """Replace MEDIA_ROOT's contents with the staged files (renames inside MEDIA_ROOT)."""
    media_root.mkdir(parents=True, exist_ok=True)
    stamp = f"{os.getpid()}-{int(time.time())}"
    old = media_root / f".before-restore-{stamp}"
    old.mkdir()
    for child in list(media_root.iterdir()):
        if child != old and child != staged:
            child.rename(old / child.name)
    count = 0
    if staged is not None and staged.is_dir():
        for child in list(staged.iterdir()):
            child.rename(media_root / child.name)
        count = len(media_files(media_root))
        shutil.rmtree(staged)
    shutil.rmtree(old)
    return count


def restore_backup(archive: str | Path, *, alias: str = "default",
                   media_root: str | Path | None = None, force: bool = False,
                   include_media: bool = True, check_only: bool = False) -> RestoreResult:
    """Restore an archive into the configured database (and MEDIA_ROOT); see module doc."""
    started = time.monotonic()
    archive = Path(archive)
    db = connections[alias].settings_dict
    engine = engine_of(db)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    manifest = read_manifest(archive)
    if manifest["engine"] != engine:
        raise RefusedError(
            f"{archive} is a {manifest['engine']} backup and this installation uses "
            f"{engine}: a restore cannot change engines. To move a SQLite installation to "
            f"PostgreSQL see {MOVE_DOC}.")
    notes = _check_migrations(manifest, force)
    if check_only:
        with tempfile.TemporaryDirectory(prefix="parkportal-check-") as tmp:
            extract(archive, Path(tmp))
            if engine == "postgresql":
                run = subprocess.run([pg_tool("pg_restore"), "--list",
                                      str(Path(tmp) / manifest["dump"])],
                                     capture_output=True, text=True)
                if run.returncode != 0:
                    raise BackupError(f"pg_restore cannot read the dump: {run.stderr.strip()}")
            else:
                probe = sqlite3.connect(Path(tmp) / manifest["dump"])
                try:
                    ok = probe.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                    ok = ok and sqlite_counts(probe) == manifest["tables"]
                finally:
                    probe.close()
                if not ok:
                    raise BackupError("the database in the backup fails its checks")
        return RestoreResult(manifest=manifest, seconds=time.monotonic() - started,
                             media_files=manifest["media"]["files"], notes=notes)
    if not force:
        refuse_not_empty(f"the database {db.get('NAME')}", database_counts(alias),
                         RESTORE_ADVICE)
        if include_media and (n := _media_not_empty(media_root)):
            raise RefusedError(f"MEDIA_ROOT {media_root} is not empty ({n} files). Restore "
                               f"into an empty one, or pass --force to replace its contents.")
    staged = None
    media_count = 0
    with tempfile.TemporaryDirectory(prefix="parkportal-restore-") as tmp:
        workdir = Path(tmp)
        extract(archive, workdir)
        if include_media:
            # Staged inside MEDIA_ROOT so the final swap is a rename on one file system.
            media_root.mkdir(parents=True, exist_ok=True)
            staged = media_root / f".restore-{os.getpid()}-{int(time.time())}"
            if (workdir / MEDIA_DIR).is_dir():
                shutil.copytree(workdir / MEDIA_DIR, staged)
            else:
                staged.mkdir()
        try:
            connections[alias].close()
            if engine == "postgresql":
                _restore_postgresql(db, workdir, manifest)
            else:
                _restore_sqlite(db, workdir, manifest)
        except BaseException:
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)
            raise
    if include_media:
        try:
            media_count = _swap_media(staged, media_root)
        except OSError as exc:
            raise BackupError(f"the database was restored but the media files were not: "
                              f"{exc} (new files in {staged}, previous ones under "
                              f"{media_root}/.before-restore-*)") from exc
    return RestoreResult(manifest=manifest, seconds=time.monotonic() - started,
                         media_files=media_count, notes=notes)


