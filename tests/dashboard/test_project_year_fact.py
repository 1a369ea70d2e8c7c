"""The per-project-year fact rows (dashboard.ProjectYearFact, migration dashboard 0008) stay
equal to a recomputation from plans, projects and the summary after any write, whatever the
path (ORM save, queryset.update, bulk_create, delete, raw SQL), on SQLite and PostgreSQL."""

import importlib
import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from dashboard import facts
from dashboard.models import ProjectYearFact
from parks.models import PlanStatus
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage

from .conftest import report

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("dashboard.migrations.0008_project_year_fact_triggers")


def test_frozen_plan_status_literal():
    assert MIGRATION.CONFIRMED == f"'{PlanStatus.CONFIRMED.value}'"


def test_rows_of_the_small_park(small_park):
    assert facts.differences() == {}
    a = ProjectYearFact.objects.get(project_id=small_park["A"].pk, year=2024)
    assert a.planned_cents == 400_000
    assert a.done_to_q2_cents == 120_000  # Apr 500 + May 700 (June draft not counted)
    assert a.done_to_q4_cents == 210_000  # + Jul 900
    assert a.published and a.code == "A"
    assert not ProjectYearFact.objects.filter(project_id=small_park["D"].pk, year=2024).exists()


def test_each_kind_of_write(small_park):
    a, b, c = small_park["A"], small_park["B"], small_park["C"]
    report(b, 6, 250, 100)                                                     # report insert
    assert facts.differences() == {}
    ProgressReport.objects.filter(project=a, month=4).update(
        completed_investment=Decimal("650.55"))                                # report update
    ProgressReport.objects.filter(project=b, month=2).delete()                 # report delete
    ProgressReport.objects.filter(project=a, month=6).update(status="submitted")  # now counts
    assert facts.differences() == {}
    AnnualPlan.objects.filter(project=b, year=2024).update(
        planned_investment=Decimal("9000.10"), q1_planned=1000, q2_planned=2000,
        q3_planned=3000, q4_planned=Decimal("3000.10"))                        # plan split
    AnnualPlan.objects.filter(project=c, year=2024).update(status=PlanStatus.DRAFT)
    assert facts.differences() == {}
    Project.objects.filter(pk=c.pk).update(stage=ProjectStage.NEW_START,
                                           actual_start=date(2024, 5, 2), code="C2")
    assert ProjectYearFact.objects.get(project_id=c.pk, year=2024).code == "C2"
    AnnualPlan.objects.create(project=small_park["D"], year=2024,
                              planned_investment=Decimal("77.70"))             # plan insert
    AnnualPlan.objects.filter(project=a, year=2024).delete()                   # plan delete
    assert not ProjectYearFact.objects.filter(project_id=a.pk, year=2024).exists()
    assert facts.differences() == {}
    with connection.cursor() as cursor:                                        # raw SQL
        cursor.execute("UPDATE projects_progressreport SET completed_investment = 1.01 "
                       "WHERE project_id = %s", [b.pk])
    assert facts.differences() == {}


def test_random_writes_equal_a_recomputation(small_park, park, industries):
    rng = random.Random(15)
    projects = list(Project.objects.filter(park=park))
    for n in range(3):
        projects.append(Project.objects.create(
            park=park, code=f"R{n}", name=f"随机{n}", industry=industries["other"],
            total_investment=Decimal("100"), stage=ProjectStage.CONTINUING))
    for step in range(150):
        project = rng.choice(projects)
        year, month = rng.choice([2023, 2024]), rng.randint(1, 12)
        action = rng.randrange(7)
        if action == 0:
            AnnualPlan.objects.update_or_create(
                project=project, year=year, defaults={
                    "planned_investment": Decimal(rng.randint(0, 900_000)) / 100,
                    "industrial_investment": 0, "q1_planned": 0, "q2_planned": 0,
                    "q3_planned": 0, "q4_planned": 0,
                    "status": rng.choice([PlanStatus.CONFIRMED, PlanStatus.DRAFT])})
        elif action == 1:
            AnnualPlan.objects.filter(project=project, year=year).delete()
        elif action == 2:
            q = [Decimal(rng.randint(0, 50)) for _ in range(4)]  # SQLite adds up floats
            AnnualPlan.objects.filter(project=project, year=year).update(
                planned_investment=sum(q), industrial_investment=0, q1_planned=q[0],
                q2_planned=q[1], q3_planned=q[2], q4_planned=q[3])
        elif action in (3, 4):
            ProgressReport.objects.update_or_create(
                project=project, year=year, month=month, defaults={
                    "completed_investment": Decimal(rng.randint(0, 100_000)) / 100,
                    "status": rng.choice(["draft", "submitted", "approved"])})
        elif action == 5:
            ProgressReport.objects.filter(project=project, year=year).delete()
        else:
            Project.objects.filter(pk=project.pk).update(
                stage=rng.choice([s.value for s in ProjectStage if s != "suspended"]),
                planned_start=date(2024, rng.randint(1, 12), 1))
        if step % 25 == 24:
            assert facts.differences() == {}, f"after step {step}"
    assert facts.differences() == {}
    assert ProjectYearFact.objects.count() == AnnualPlan.objects.count()


def test_rebuild_restores_the_rows(small_park):
    ProjectYearFact.objects.all().delete()
    assert facts.differences()
    assert facts.rebuild() == AnnualPlan.objects.count()
    assert facts.differences() == {}
