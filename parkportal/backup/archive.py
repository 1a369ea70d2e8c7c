"""The backup archive: writing one (`create_backup`), reading its manifest, unpacking it."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.utils import timezone

from parkportal.backup.databases import (
    applied_migrations,
    engine_of,
    pg_connect,
    pg_counts,
    pg_env,
    pg_tool,
    sqlite_counts,
)
from parkportal.backup.errors import BackupError, RefusedError

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
NAME_PREFIX = "parkportal-backup-"
NAME_SUFFIX = ".tar.gz"


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    manifest: dict
    removed: list[Path] = field(default_factory=list)


def default_name() -> str:
    return f"{NAME_PREFIX}{timezone.localtime():%Y%m%d-%H%M%S}{NAME_SUFFIX}"


def _target_path(output: str | Path | None) -> tuple[Path, bool]:
    """(archive path, whether the name was chosen here inside a directory)."""
    if output is None:
        output = Path(settings.BASE_DIR) / "backups"
    output = Path(output)
    if output.is_dir() or str(output).endswith(os.sep) or not output.suffix:
        output.mkdir(parents=True, exist_ok=True)
        return output / default_name(), True
    if not output.parent.is_dir():
        raise BackupError(f"directory {output.parent} does not exist")
    return output, False


def _dump_postgresql(db: dict, workdir: Path) -> dict:
    """pg_dump inside an exported repeatable-read snapshot, so the counts read here describe
    exactly the data in the dump, whatever the app writes meanwhile."""
    dump = workdir / DUMP_NAMES["postgresql"]
    with pg_connect(db) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = pg_counts(cursor)
            migrations = []
            if "django_migrations" in counts:
                cursor.execute("SELECT app, name FROM django_migrations")
                migrations = applied_migrations(cursor.fetchall())
            run = subprocess.run(
                [pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}",
                 f"--file={dump}"],
                env=pg_env(db), capture_output=True, text=True)
            if run.returncode != 0:
                raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
        conn.rollback()
    return {"counts": counts, "migrations": migrations, "server_version": server_version}


def _dump_sqlite(alias: str, workdir: Path) -> dict:
    """SQLite's online backup API from the app's own connection: a consistent copy even while
    other processes write (they wait at most for one page-copy step)."""
    dump = workdir / DUMP_NAMES["sqlite"]
    connection = connections[alias]
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
        counts = sqlite_counts(target)
        migrations = []
        if "django_migrations" in counts:
            migrations = applied_migrations(
                target.execute("SELECT app, name FROM django_migrations").fetchall())
        server_version = sqlite3.sqlite_version
    finally:
        target.close()
    return {"counts": counts, "migrations": migrations, "server_version": server_version}


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()
                  and not any(part.startswith(".restore-") or part.startswith(".before-restore-")
                              for part in p.relative_to(media_root).parts))


def create_backup(output: str | Path | None = None, *, alias: str = "default",
                  media_root: str | Path | None = None, include_media: bool = True,
                  keep: int | None = None) -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT; return where and what."""
    started = time.monotonic()
    db = connections[alias].settings_dict
    engine = engine_of(db)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    path, chosen = _target_path(output)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="parkportal-backup-") as tmp:
        workdir = Path(tmp)
        if engine == "postgresql":
            state = _dump_postgresql(db, workdir)
        else:
            state = _dump_sqlite(alias, workdir)
        dump = workdir / DUMP_NAMES[engine]
        media, media_bytes = [], 0
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(dump, arcname=dump.name)
                for file in (media_files(media_root) if include_media else []):
                    relative = file.relative_to(media_root).as_posix()
                    try:
                        tar.add(file, arcname=f"{MEDIA_DIR}/{relative}")
                    except FileNotFoundError:
                        continue  # deleted by the app while we were copying
                    media.append(relative)
                    media_bytes += file.stat().st_size if file.exists() else 0
                manifest = {
                    "format": FORMAT,
                    "engine": engine,
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    "database": str(db.get("NAME")),
                    "server_version": state["server_version"],
                    "django_version": django.get_version(),
                    "dump": dump.name,
                    "dump_bytes": dump.stat().st_size,
                    "migrations": state["migrations"],
                    "tables": state["counts"],
                    "rows": sum(state["counts"].values()),
                    "media_included": include_media,
                    "media": {"files": len(media), "bytes": media_bytes, "names": media},
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    removed = prune(path.parent, keep) if (keep and chosen) else []
    return BackupResult(path=path, size=path.stat().st_size,
                        seconds=time.monotonic() - started, manifest=manifest, removed=removed)


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives this command named in `directory`."""
    archives = sorted(p for p in directory.glob(f"{NAME_PREFIX}*{NAME_SUFFIX}") if p.is_file())
    gone = archives[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone



def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe entry in archive: {member.name}")
        yield member


def read_manifest(archive: str | Path) -> dict:
    archive = Path(archive)
    if not archive.is_file():
        raise RefusedError(f"no backup file {archive}")
    try:
        with tarfile.open(archive, "r:*") as tar:
            handle = tar.extractfile(MANIFEST)
            manifest = json.load(handle)
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise RefusedError(f"{archive} is not a parkportal backup (no readable {MANIFEST}: "
                           f"{exc})") from exc
    if manifest.get("format") != FORMAT or manifest.get("engine") not in DUMP_NAMES:
        raise RefusedError(f"{archive}: unknown backup format {manifest.get('format')!r}")
    return manifest


def extract(archive: Path, workdir: Path) -> dict:
    manifest = read_manifest(archive)
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(workdir, members=list(_safe_members(tar)), filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} is damaged: {exc}") from exc
    dump = workdir / manifest["dump"]
    if not dump.is_file() or dump.stat().st_size != manifest["dump_bytes"]:
        raise BackupError(f"{archive} is damaged: {manifest['dump']} missing or truncated")
    media = workdir / MEDIA_DIR
    found = len([p for p in media.rglob("*") if p.is_file()]) if media.is_dir() else 0
    if found != manifest["media"]["files"]:
        raise BackupError(f"{archive} is damaged: {found} media files, manifest says "
                          f"{manifest['media']['files']}")
    return manifest


