"""Backup, restore and the SQLite → PostgreSQL move through the real parts: the seeded 2024
report plus a media file, real pg_dump / pg_restore / psql, real archives, fresh databases.

Runs on the test database's engine: SQLite (restored into a new SQLite file) or PostgreSQL
(restored into a second, freshly created database). The move test needs a PostgreSQL server
(postgres:/// on this machine and in CI) and is skipped with a reason where there is none.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connections

from parkportal import backup

ROOT = Path(__file__).resolve().parents[2]
MEDIA_BYTES = "企业名称,统一社会信用代码\n镇巴县测试企业,91610728MA6YTEST01\n".encode("gb18030")
PASSWORD = "Pw-12345678"


def engine() -> str:
    return backup.engine_of(connections["default"].settings_dict)


def snapshot(alias: str) -> tuple[dict[str, int], dict[str, Decimal]]:
    return backup.database_counts(alias), backup.money_sums(alias)


def seed(media_root: Path) -> None:
    call_command("seed_report", demo_users=True, password=PASSWORD, stdout=io.StringIO())
    (media_root / "imports" / "2024").mkdir(parents=True, exist_ok=True)
    (media_root / "imports" / "2024" / "企业名单.csv").write_bytes(MEDIA_BYTES)


def postgres_reachable(db: dict | None = None) -> str | None:
    """None if a PostgreSQL server answers (with CREATEDB), else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        if db is not None:
            conn = backup.pg_connect(db, "postgres", autocommit=True, connect_timeout=3)
        else:
            conn = psycopg.connect("dbname=postgres", autocommit=True, connect_timeout=3)
        conn.close()
    except Exception as exc:  # no server, no role, no socket
        return f"no PostgreSQL server at postgres:/// ({str(exc).strip()[:120]})"
    return None


class ScratchPostgres:
    """A uniquely named PostgreSQL database, created and dropped by the test."""

    def __init__(self, db: dict | None, prefix: str):
        self.db = db or {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres"}
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"

    def __enter__(self):
        with backup.pg_connect(self.db, "postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc):
        connections.close_all()
        with backup.pg_connect(self.db, "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    @property
    def settings(self) -> dict:
        return {**self.db, "NAME": self.name}


def tamper(archive: Path, out: Path) -> Path:
    """A copy of the archive whose manifest claims one more auth_user row."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == backup.MANIFEST:
                manifest = json.loads(data)
                manifest["tables"]["auth_user"] += 1
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    return out


@pytest.fixture
def empty_target(tmp_path):
    """Settings of an empty database of the test database's engine."""
    default = connections["default"].settings_dict
    if engine() == "sqlite":
        yield {**default, "NAME": str(tmp_path / "restored.sqlite3"), "TEST": {}}
        return
    with ScratchPostgres(default, "pp_restore") as scratch:
        yield scratch.settings


def test_backup_restores_every_row_and_money_figure_into_an_empty_database(
        transactional_db, tmp_path, settings, empty_target):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    seed(media)
    counts, money = snapshot("default")
    assert counts["projects_progressreport"] > 0 and counts["projects_historicalproject"] > 0
    assert sum(money.values()) > 0 and len(money) >= 20

    made = backup.create_backup(tmp_path / "backups", media_root=media)
    assert made.path.name.startswith(backup.NAME_PREFIX) and made.path.stat().st_mode & 0o077 == 0
    assert made.manifest["engine"] == engine()
    assert made.manifest["tables"] == counts
    assert made.manifest["media"]["names"] == ["imports/2024/企业名单.csv"]
    assert "projects.0003_progress_summary_triggers" in made.manifest["migrations"]

    assert backup.restore_backup(made.path, check_only=True).manifest == made.manifest
    restored_media = tmp_path / "restored-media"
    with backup.extra_database("restored", empty_target, listed=False):
        assert not any(backup.data_counts(backup.database_counts("restored")).values())
        backup.restore_backup(made.path, alias="restored", media_root=restored_media)
        assert snapshot("restored") == (counts, money)
        assert (restored_media / "imports/2024/企业名单.csv").read_bytes() == MEDIA_BYTES

        # A second restore is refused (exit code 2) and changes nothing.
        with pytest.raises(backup.RefusedError, match="is not empty") as refused:
            backup.restore_backup(made.path, alias="restored", media_root=restored_media)
        assert refused.value.exit_code == 2

        # A restore failing its own checks is rolled back: the data stays as it was.
        with connections["restored"].cursor() as cursor:
            cursor.execute("DELETE FROM django_session")
            cursor.execute("UPDATE projects_project SET total_investment = total_investment + 1")
        before = snapshot("restored")
        bad = tamper(made.path, tmp_path / "tampered.tar.gz")
        with pytest.raises(backup.BackupError) as failed:
            backup.restore_backup(bad, alias="restored", media_root=restored_media, force=True)
        assert failed.value.exit_code == 1
        assert snapshot("restored") == before != (counts, money)
        assert not list(restored_media.glob(".restore-*"))

        # --force replaces everything.
        backup.restore_backup(made.path, alias="restored", media_root=restored_media,
                              force=True)
        assert snapshot("restored") == (counts, money)


def test_restore_refuses_a_backup_from_the_other_engine(tmp_path):
    archive = tmp_path / "other.tar.gz"
    other = "sqlite" if engine() == "postgresql" else "postgresql"
    manifest = {"format": backup.FORMAT, "engine": other, "migrations": [], "tables": {}}
    with tarfile.open(archive, "w:gz") as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo(backup.MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(backup.RefusedError, match="move_database") as refused:
        backup.restore_backup(archive)
    assert refused.value.exit_code == 2


# --- The commands, as an operator runs them, on a seeded SQLite file ------------------------

def manage(*args, database_url: str, media_root: Path, check=False):
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root),
           "DEBUG": "1"}
    run = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    if check:
        assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def seeded_sqlite(tmp_path_factory):
    """A SQLite installation made as an operator makes one: migrate, seed, an upload."""
    where = tmp_path_factory.mktemp("sqlite-install")
    url, media = f"sqlite:///{where / 'db.sqlite3'}", where / "media"
    manage("migrate", "-v0", database_url=url, media_root=media, check=True)
    manage("seed_report", "--demo-users", "--password", PASSWORD, database_url=url,
           media_root=media, check=True)
    (media / "imports").mkdir(parents=True)
    (media / "imports" / "list.csv").write_bytes(MEDIA_BYTES)
    return where / "db.sqlite3", media


def test_commands_backup_and_restore_a_sqlite_installation(seeded_sqlite, tmp_path):
    source, media = seeded_sqlite
    url = f"sqlite:///{source}"
    run = manage("backup", "--output", str(tmp_path / "b"), "--keep", "1", database_url=url,
                 media_root=media, check=True)
    assert "backup written:" in run.stdout and "1 media files" in run.stdout
    [archive] = (tmp_path / "b").glob("parkportal-backup-*.tar.gz")

    target = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    new_media = tmp_path / "new-media"
    manage("restore", str(archive), database_url=target, media_root=new_media, check=True)
    assert (new_media / "imports" / "list.csv").read_bytes() == MEDIA_BYTES

    again = manage("restore", str(archive), database_url=target, media_root=new_media)
    assert again.returncode == 2 and "not empty" in again.stderr and "--force" in again.stderr
    manage("restore", "--force", str(archive), database_url=target, media_root=new_media,
           check=True)

    other = manage("restore", str(archive), database_url="postgres:///pp_no_such_db",
                   media_root=new_media)
    assert other.returncode == 2 and "move_database" in other.stderr

    with pytest.raises(CommandError, match="no backup file") as missing:
        call_command("restore", str(tmp_path / "nope.tar.gz"))
    assert missing.value.returncode == 2

    for command in ("backup", "restore", "move_database"):
        helptext = load_command_class("parkportal", command).create_parser(
            "manage.py", command).format_help()
        assert "docs/operations.md" in helptext and "example" in helptext


# --- SQLite → PostgreSQL ----------------------------------------------------------------------

def test_move_from_sqlite_to_postgresql_keeps_every_row_and_money_figure(
        seeded_sqlite, tmp_path, django_db_blocker):
    reason = postgres_reachable()
    if reason:
        pytest.skip(f"the move needs a PostgreSQL server: {reason}")
    source, media = seeded_sqlite
    sqlite_url = f"sqlite:///{source}"
    with ScratchPostgres(None, "pp_move") as scratch:
        target = f"postgres:///{scratch.name}"
        run = manage("move_database", "--to", target, database_url=sqlite_url,
                     media_root=media)
        assert run.returncode == 0, run.stderr
        assert "match the source" in run.stdout

        source_settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)}
        with django_db_blocker.unblock(), \
                backup.extra_database("src", source_settings, listed=False), \
                backup.extra_database("dst", scratch.settings, listed=False):
            counts = backup.model_counts("src")
            assert counts["projects_historicalproject"] > 0
            assert counts["projects_historicalproject_responsible"] > 0
            moved = backup.model_counts("dst")
            for table in ("django_content_type", "auth_permission"):
                counts.pop(table), moved.pop(table)
            assert moved == counts
            money = backup.money_sums("src")
            assert sum(money.values()) > 0
            assert backup.money_sums("dst") == money
            with connections["src"].cursor() as cursor:
                cursor.execute("SELECT MAX(id) FROM parks_industry")
                highest = cursor.fetchone()[0]
            with connections["dst"].cursor() as cursor:  # new ids follow the source's
                cursor.execute("INSERT INTO parks_industry (name, slug, name_en, sort_order) "
                               "VALUES ('新产业', 'new-industry', '', 99) RETURNING id")
                assert cursor.fetchone()[0] > highest

        again = manage("move_database", "--to", target, database_url=sqlite_url,
                       media_root=media)
        assert again.returncode == 2 and "not empty" in again.stderr
