"""The per-project-year progress summary (`ProjectYearProgress`): full recompute and check.

Database triggers keep the summary in step with every write to the progress reports
(migration projects 0003); nothing in Python writes it row by row. This module recomputes it
from the reports (`rebuild`, idempotent) and compares it with them (`differences`), for
`manage.py rebuild_progress_summary` and the tests.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from parkportal.money import CENT, ZERO
from projects.models import (
    COUNTED_STATUSES,  # noqa: F401  (re-exported; the rule lives in projects.models)
    SUMMARY_MONTHS,
    ProgressReport,
    Project,
    ProjectYearProgress,
    counted_q,
    counted_sql,
)

# The counted statuses are frozen in the trigger migration as well; tests/projects/
# test_rules.py checks its literal against projects.models.COUNTED_STATUSES_SQL.
COMPLETED = [f"completed_m{m}" for m in SUMMARY_MONTHS]
FIXED = [f"fixed_m{m}" for m in SUMMARY_MONTHS]
COLUMNS = COMPLETED + FIXED


def _pivot_sql() -> str:
    parts = []
    for value in ("completed_investment", "fixed_asset_investment"):
        parts += [f"SUM(CASE WHEN month = {m} THEN {value} ELSE 0 END)" for m in SUMMARY_MONTHS]
    return ", ".join(parts)


def rebuild(*, park=None) -> int:
    """Recompute the summary (of one park, or all) from the counted reports; returns the
    number of summary rows written. On PostgreSQL report writes wait until it is done."""
    summary, report = ProjectYearProgress._meta.db_table, ProgressReport._meta.db_table
    project = Project._meta.db_table
    where, params = "", []
    if park is not None:
        where = f" AND project_id IN (SELECT id FROM {project} WHERE park_id = %s)"
        params = [park.pk]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {report} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {summary} WHERE 1 = 1{where}", params)
        cursor.execute(
            f"INSERT INTO {summary} (project_id, year, {', '.join(COLUMNS)}) "
            f"SELECT project_id, year, {_pivot_sql()} FROM {report} "
            f"WHERE {counted_sql()}{where} GROUP BY project_id, year", params)
        written = cursor.rowcount
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {summary}")
    return written


def from_reports(*, park=None) -> dict[tuple[int, int], tuple[Decimal, ...]]:
    """(project id, year) → the 24 month amounts computed directly from the counted reports
    (rows of zeros left out)."""
    reports = ProgressReport.objects.filter(counted_q())
    if park is not None:
        reports = reports.filter(project__park=park)
    result: dict[tuple[int, int], list[Decimal]] = {}
    for project_id, year, month, completed, fixed in reports.values_list(
            "project_id", "year", "month", "completed_investment", "fixed_asset_investment"):
        row = result.setdefault((project_id, year), [ZERO] * 24)
        row[month - 1] += completed
        row[12 + month - 1] += fixed
    return {key: tuple(row) for key, row in result.items() if any(row)}


def stored(*, park=None) -> dict[tuple[int, int], tuple[Decimal, ...]]:
    """The summary as stored (rows of zeros left out)."""
    rows = ProjectYearProgress.objects.all()
    if park is not None:
        rows = rows.filter(project__park=park)
    result = {}
    for project_id, year, *amounts in rows.values_list("project_id", "year", *COLUMNS):
        if any(amounts):
            result[(project_id, year)] = tuple(Decimal(a).quantize(CENT)
                                               for a in amounts)
    return result


def differences(*, park=None) -> dict[tuple[int, int], dict]:
    """(project id, year) → {"stored": …, "expected": …} wherever the summary and a direct
    aggregation of the counted reports disagree (empty when they are in step)."""
    expected, actual = from_reports(park=park), stored(park=park)
    zeros = (ZERO,) * 24
    return {key: {"stored": actual.get(key, zeros), "expected": expected.get(key, zeros)}
            for key in sorted(expected.keys() | actual.keys())
            if actual.get(key, zeros) != expected.get(key, zeros)}
