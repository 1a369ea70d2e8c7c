"""The per-project-year fact rows (`ProjectYearFact`): a recomputation in Python and a check.

Database triggers keep the rows in step (migration dashboard 0008); this module computes
what they should hold from the ORM, independently of the triggers' SQL (`expected`), compares
(`differences`) and rewrites them (`rebuild`, after a load with triggers off), for the tests
and for operators.
"""

from __future__ import annotations

import importlib
from decimal import Decimal

from django.db import connection, transaction

from dashboard.models import ProjectYearFact
from parks.models import PlanStatus
from projects.models import AnnualPlan, ProjectYearProgress

FIELDS = ("park_id", "code", "stage", "planned_start", "actual_start", "published", "is_split",
          "planned_cents", "plan_to_q1_cents", "plan_to_q2_cents", "plan_to_q3_cents",
          "plan_to_q4_cents", "done_to_q1_cents", "done_to_q2_cents", "done_to_q3_cents",
          "done_to_q4_cents")


def _cents(value) -> int:
    return int((Decimal(value) * 100).to_integral_value())


def expected() -> dict[tuple[int, int], tuple]:
    """(project id, year) → the fact row's values, from plans, projects and the summary."""
    done = {(row.project_id, row.year): row for row in ProjectYearProgress.objects.all()}
    result = {}
    for plan in AnnualPlan.objects.select_related("project"):
        project = plan.project
        quarters = [plan.q1_planned, plan.q2_planned, plan.q3_planned, plan.q4_planned]
        split = sum(quarters) > 0
        summary = done.get((plan.project_id, plan.year))
        months = ([getattr(summary, f"completed_m{m}") for m in range(1, 13)]
                  if summary else [Decimal(0)] * 12)
        result[(plan.project_id, plan.year)] = (
            project.park_id, project.code, project.stage, project.planned_start,
            project.actual_start, plan.status == PlanStatus.CONFIRMED, split,
            _cents(plan.planned_investment),
            *[_cents(sum(quarters[:q])) if split else 0 for q in range(1, 5)],
            *[_cents(sum(months[:3 * q], Decimal(0))) for q in range(1, 5)])
    return result


def stored() -> dict[tuple[int, int], tuple]:
    return {(row[0], row[1]): tuple(row[2:]) for row in
            ProjectYearFact.objects.values_list("project_id", "year", *FIELDS)}


def differences() -> dict[tuple[int, int], dict]:
    """(project id, year) → {"stored": …, "expected": …} wherever they disagree."""
    want, have = expected(), stored()
    return {key: {"stored": have.get(key), "expected": want.get(key)}
            for key in sorted(want.keys() | have.keys()) if want.get(key) != have.get(key)}


def rebuild() -> int:
    """Recompute every fact row with the triggers' own statement; returns the rows written."""
    migration = importlib.import_module("dashboard.migrations.0008_project_year_fact_triggers")
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ProjectYearFact._meta.db_table}")
        cursor.execute(migration.BACKFILL_PG if postgres else migration.BACKFILL_SQLITE)
        return cursor.rowcount
