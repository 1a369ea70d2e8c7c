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

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
NAME_PREFIX = "parkportal-backup-"
NAME_SUFFIX = ".tar.gz"
MOVE_DOC = "docs/operations.md, \"Moving from SQLite to PostgreSQL\" (manage.py move_database)"

# Tables a freshly migrated database already fills, or that hold no one's data: they do not
# make a database "not empty".
SCHEMA_TABLES = frozenset({
    "django_migrations", "django_content_type", "auth_permission",
    "dashboard_figures_version", "dashboard_figures_change",
})


class BackupError(Exception):
    """A backup, restore or move failed; nothing was changed unless the message says so."""

    exit_code = 1


class RefusedError(BackupError):
    """The operation was refused before anything was changed (exit code 2)."""

    exit_code = 2


# --- Connections --------------------------------------------------------------------------

def engine_of(db: dict) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"unsupported database engine {engine}")


def pg_env(db: dict, name: str | None = None) -> dict:
    """The environment for pg_dump/pg_restore/psql: the connection in PG* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = db.get("OPTIONS") or {}
    pairs = {
        "PGDATABASE": name or db.get("NAME") or "",
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGSSLMODE": options.get("sslmode", ""),
        "PGSSLROOTCERT": options.get("sslrootcert", ""),
        "PGSSLCERT": options.get("sslcert", ""),
        "PGSSLKEY": options.get("sslkey", ""),
        "PGAPPNAME": "parkportal-backup",
    }
    env.update({k: v for k, v in pairs.items() if v})
    return env


def pg_connect(db: dict, name: str | None = None, **kwargs):
    import psycopg

    options = db.get("OPTIONS") or {}
    params = {
        "dbname": name or db.get("NAME"), "host": db.get("HOST") or None,
        "port": db.get("PORT") or None, "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        **{k: options[k] for k in ("sslmode", "sslrootcert", "sslcert", "sslkey") if k in options},
    }
    try:
        return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, **kwargs)
    except psycopg.OperationalError as exc:
        raise BackupError(f"cannot connect to PostgreSQL database {params['dbname']!r}: "
                          f"{str(exc).strip()}") from exc


def pg_tool(name: str) -> str:
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists()
                                  else None)
    if not path:
        raise BackupError(f"{name} not found: install the PostgreSQL client "
                          f"(apt-get install postgresql-client-15)")
    return path


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                   "ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {t: conn.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] for t in tables}


def _applied_migrations(rows) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in rows)


def code_migrations() -> set[str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def data_counts(counts: dict[str, int]) -> dict[str, int]:
    return {t: n for t, n in counts.items() if t not in SCHEMA_TABLES}


def database_counts(alias: str = "default") -> dict[str, int]:
    """Row count of every table of a configured database (no table: empty dict)."""
    db = connections[alias].settings_dict
    if engine_of(db) == "postgresql":
        with pg_connect(db) as conn, conn.cursor() as cursor:
            return pg_counts(cursor)
    connection = connections[alias]
    connection.ensure_connection()
    return sqlite_counts(connection.connection)


# --- Backup -------------------------------------------------------------------------------

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
                migrations = _applied_migrations(cursor.fetchall())
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
            migrations = _applied_migrations(
                target.execute("SELECT app, name FROM django_migrations").fetchall())
        server_version = sqlite3.sqlite_version
    finally:
        target.close()
    return {"counts": counts, "migrations": migrations, "server_version": server_version}


def _media_files(media_root: Path) -> list[Path]:
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
                for file in (_media_files(media_root) if include_media else []):
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


# --- Reading an archive -------------------------------------------------------------------

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


def _extract(archive: Path, workdir: Path) -> dict:
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


# --- Restore ------------------------------------------------------------------------------

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


def _refuse_not_empty(where: str, counts: dict[str, int], advice: str = RESTORE_ADVICE) -> None:
    filled = {t: n for t, n in data_counts(counts).items() if n}
    if filled:
        sample = ", ".join(f"{t} ({n})" for t, n in sorted(filled.items())[:5])
        raise RefusedError(
            f"{where} is not empty: {len(filled)} table(s) hold "
            f"{sum(filled.values())} rows ({sample}{' …' if len(filled) > 5 else ''}). "
            f"{advice}")


def _media_not_empty(media_root: Path) -> int:
    return len(_media_files(media_root))


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
        statements.append(f"DROP {kinds[kind]} IF EXISTS {_quote(name)} CASCADE;")
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
            f"  SELECT COUNT(*) INTO n FROM public.{_quote(table)};\n"
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
        count = len(_media_files(media_root))
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
            _extract(archive, Path(tmp))
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
        _refuse_not_empty(f"the database {db.get('NAME')}", database_counts(alias))
        if include_media and (n := _media_not_empty(media_root)):
            raise RefusedError(f"MEDIA_ROOT {media_root} is not empty ({n} files). Restore "
                               f"into an empty one, or pass --force to replace its contents.")
    staged = None
    media_count = 0
    with tempfile.TemporaryDirectory(prefix="parkportal-restore-") as tmp:
        workdir = Path(tmp)
        _extract(archive, workdir)
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


# --- Move SQLite → PostgreSQL --------------------------------------------------------------

@dataclass
class MoveResult:
    counts: dict[str, int]
    money: dict[str, Decimal]
    data_version: int
    seconds: float


VERSION_SQL = ("SELECT COALESCE((SELECT compacted FROM dashboard_figures_version WHERE id = 1), "
               "0), (SELECT COUNT(*) FROM dashboard_figures_change)")
SUMMARY_MODEL = "projects.ProjectYearProgress"
NOT_MOVED = ["contenttypes", "auth.permission"]  # the target's migrate creates its own


@contextmanager
def extra_database(alias: str, db: dict, *, listed: bool = True):
    """Make `db` reachable as connections[alias] for the duration. `listed` also adds it to
    the configured databases (management commands' --database accepts only those); an
    unlisted one counts as a dynamically created connection, which Django's test cases
    allow."""
    from django.db.utils import load_backend

    configured = connections.configure_settings({"default": {}, alias: dict(db)})[alias]
    if listed:
        connections.settings[alias] = configured
    else:
        connections[alias] = load_backend(configured["ENGINE"]).DatabaseWrapper(configured,
                                                                                alias)
    try:
        yield connections[alias]
    finally:
        connections[alias].close()
        try:
            del connections[alias]
        except AttributeError:
            pass
        connections.settings.pop(alias, None)


def money_columns() -> list[tuple[type[models.Model], str]]:
    """Every DecimalField of every model (history tables included): the money columns."""
    return [(model, f.attname) for model in apps.get_models(include_auto_created=True)
            for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]


def money_sums(alias: str) -> dict[str, Decimal]:
    """Exact sum of every money column (summed in Python: SQLite's SUM is binary floating
    point)."""
    sums = {}
    for model, column in money_columns():
        total = Decimal(0)
        for value in model._base_manager.using(alias).values_list(column, flat=True).iterator():
            total += value or 0
        sums[f"{model._meta.db_table}.{column}"] = total
    return sums


def model_counts(alias: str) -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.using(alias).count()
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy}


def _pg_sequence_problems(alias: str) -> list[str]:
    problems = []
    with connections[alias].cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField):
                continue
            table = model._meta.db_table
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
            sequence = cursor.fetchone()[0]
            if sequence is None:
                continue
            cursor.execute(f"SELECT COALESCE(MAX({_quote(pk.column)}), 0) FROM {_quote(table)}")
            highest = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            if highest and (last < highest or (last == highest and not called)):
                problems.append(f"{sequence} at {last}, {table} holds id {highest}")
    return problems


def move_database(target_url: str, *, log=lambda message: None) -> MoveResult:
    """Copy every row of the current (SQLite) database into an empty PostgreSQL database,
    then check every table's row count and every money column's sum against the source."""
    import dj_database_url
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor
    from django.test.utils import override_settings

    started = time.monotonic()
    source_db = connections["default"].settings_dict
    try:
        target_db = dj_database_url.parse(target_url)
    except Exception as exc:  # dj_database_url raises several kinds
        raise RefusedError(f"cannot read --to {target_url!r}: {exc}") from exc
    if engine_of(target_db) != "postgresql":
        raise RefusedError("--to must be a PostgreSQL URL, e.g. postgres://user@host/parkportal")
    if engine_of(source_db) != "sqlite":
        raise RefusedError("the current database is not SQLite: nothing to move (to copy "
                           "between PostgreSQL servers use backup and restore)")
    target_db.setdefault("OPTIONS", {})
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RefusedError(f"the SQLite database has {len(pending)} unapplied migration(s): "
                           f"run `manage.py migrate` on it first")
    with pg_connect(target_db) as conn, conn.cursor() as cursor:
        _refuse_not_empty(f"the target database {target_db['NAME']}", pg_counts(cursor),
                          "Move into a new, empty database (dropdb, createdb).")

    with tempfile.TemporaryDirectory(prefix="parkportal-move-") as tmp:
        workdir = Path(tmp)
        copy = workdir / "source.sqlite3"
        # A consistent snapshot of the source, even if the app was left running.
        connection.ensure_connection()
        snapshot = sqlite3.connect(copy)
        connection.connection.backup(snapshot)
        source_version = sum(snapshot.execute(VERSION_SQL).fetchone())
        snapshot.close()
        source_settings = {**source_db, "NAME": str(copy)}
        with extra_database("move_source", source_settings), \
                extra_database("move_target", target_db):
            log("migrating the target database")
            call_command("migrate", database="move_target", interactive=False, verbosity=0)
            main, summary = workdir / "data.jsonl", workdir / "summary.jsonl"
            log("dumping the SQLite data")
            dump = {"database": "move_source", "format": "jsonl", "natural_foreign": True,
                    "use_base_manager": True, "verbosity": 0}
            call_command("dumpdata", *[], exclude=[*NOT_MOVED, SUMMARY_MODEL], output=str(main),
                         **dump)
            call_command("dumpdata", SUMMARY_MODEL, output=str(summary), **dump)
            source_counts = model_counts("move_source")
            source_money = money_sums("move_source")
            log("loading into PostgreSQL")
            load = {"database": "move_target", "verbosity": 0}
            with override_settings(SIMPLE_HISTORY_ENABLED=False), \
                    transaction.atomic(using="move_target"):
                call_command("loaddata", str(main), **load)
                # The report triggers have rebuilt the summary while loading; replace it
                # with the source's rows, keys and all.
                with connections["move_target"].cursor() as cursor:
                    cursor.execute("DELETE FROM projects_projectyearprogress")
                call_command("loaddata", str(summary), **load)
                with connections["move_target"].cursor() as cursor:
                    cursor.execute("DELETE FROM dashboard_figures_change")
                    cursor.execute("UPDATE dashboard_figures_version SET compacted = %s "
                                   "WHERE id = 1", [source_version])
                    cursor.execute(VERSION_SQL)
                    target_version = sum(cursor.fetchone())
                log("checking row counts, money sums and sequences")
                target_counts = model_counts("move_target")
                skip = {"django_content_type", "auth_permission"}
                count_diffs = [f"{t}: {n} rows, target {target_counts.get(t)}"
                               for t, n in source_counts.items()
                               if t not in skip and target_counts.get(t) != n]
                target_money = money_sums("move_target")
                money_diffs = [f"{c}: {v}, target {target_money.get(c)}"
                               for c, v in source_money.items() if target_money.get(c) != v]
                problems = count_diffs + money_diffs + _pg_sequence_problems("move_target")
                if target_version != source_version:
                    problems.append(f"figures data version {target_version}, source "
                                    f"{source_version}")
                if problems:
                    raise BackupError("the copy does not match the source and was rolled "
                                      "back: " + "; ".join(problems[:10]))
    return MoveResult(counts={t: n for t, n in source_counts.items()
                              if t not in {"django_content_type", "auth_permission"}},
                      money=source_money, data_version=source_version,
                      seconds=time.monotonic() - started)
