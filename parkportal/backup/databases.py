"""The databases a backup, restore or move works on: connections, PostgreSQL client tools,
row counts and money sums (the checks every operation ends with)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import connections, models

from parkportal.backup.errors import BackupError, RefusedError

# Tables a freshly migrated database already fills, or that hold no one's data: they do not
# make a database "not empty".
SCHEMA_TABLES = frozenset({
    "django_migrations", "django_content_type", "auth_permission",
    "dashboard_figures_version", "dashboard_figures_change",
})



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


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                   "ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {t: conn.execute(f"SELECT COUNT(*) FROM {quote_name(t)}").fetchone()[0] for t in tables}


def applied_migrations(rows) -> list[str]:
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



def refuse_not_empty(where: str, counts: dict[str, int], advice: str) -> None:
    filled = {t: n for t, n in data_counts(counts).items() if n}
    if filled:
        sample = ", ".join(f"{t} ({n})" for t, n in sorted(filled.items())[:5])
        raise RefusedError(
            f"{where} is not empty: {len(filled)} table(s) hold "
            f"{sum(filled.values())} rows ({sample}{' …' if len(filled) > 5 else ''}). "
            f"{advice}")


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


