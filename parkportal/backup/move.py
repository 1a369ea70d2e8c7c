"""Moving a SQLite installation to PostgreSQL, every row checked (manage.py move_database)."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import connections, models, transaction

from parkportal.backup.databases import (
    engine_of,
    extra_database,
    model_counts,
    money_sums,
    pg_connect,
    pg_counts,
    quote_name,
    refuse_not_empty,
)
from parkportal.backup.errors import BackupError, RefusedError


@dataclass
class MoveResult:
    counts: dict[str, int]
    money: dict[str, Decimal]
    data_version: int
    seconds: float


VERSION_SQL = ("SELECT COALESCE((SELECT compacted FROM dashboard_figures_version WHERE id = 1), "
               "0), (SELECT COUNT(*) FROM dashboard_figures_change)")
SUMMARY_MODEL = "projects.ProjectYearProgress"
# Derived by triggers from plans, projects and the summary (dashboard 0008): loaded last.
FACT_MODEL = "dashboard.ProjectYearFact"
NOT_MOVED = ["contenttypes", "auth.permission"]  # the target's migrate creates its own


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
            cursor.execute(f"SELECT COALESCE(MAX({quote_name(pk.column)}), 0) "
                           f"FROM {quote_name(table)}")
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
        refuse_not_empty(f"the target database {target_db['NAME']}", pg_counts(cursor),
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
            fact = workdir / "fact.jsonl"
            log("dumping the SQLite data")
            dump = {"database": "move_source", "format": "jsonl", "natural_foreign": True,
                    "use_base_manager": True, "verbosity": 0}
            call_command("dumpdata", *[], exclude=[*NOT_MOVED, SUMMARY_MODEL, FACT_MODEL],
                         output=str(main), **dump)
            call_command("dumpdata", SUMMARY_MODEL, output=str(summary), **dump)
            call_command("dumpdata", FACT_MODEL, output=str(fact), **dump)
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
                # Likewise the project-year facts, rebuilt by the plan and summary triggers.
                with connections["move_target"].cursor() as cursor:
                    cursor.execute("DELETE FROM dashboard_projectyearfact")
                call_command("loaddata", str(fact), **load)
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
