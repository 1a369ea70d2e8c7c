"""The per-project-year progress summary stays equal to a direct aggregation of the counted
reports, whatever writes the reports (triggers; both databases)."""

import random
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from dashboard.selectors import COUNTED_STATUSES
from projects import services, summary
from projects.models import (
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ProjectYearProgress,
    ReportStatus,
)

pytestmark = pytest.mark.django_db
STATUSES = [s.value for s in ReportStatus]


def in_step(park=None):
    diffs = summary.differences(park=park)
    assert diffs == {}, diffs
    return True


def amount(rng):
    return D(rng.randint(0, 500_000)) / 100   # two decimal places, e.g. 1234.56


def new_report(project, year, month, rng, status=None):
    status = status or rng.choice(STATUSES)
    return ProgressReport(
        project=project, year=year, month=month, completed_investment=amount(rng),
        fixed_asset_investment=amount(rng), status=status,
        return_reason="补充材料" if status == ReportStatus.RETURNED else "")


@pytest.fixture
def projects(park, industries):
    result = []
    for i in range(3):
        project = Project.objects.create(
            park=park, code=f"S-{i}", name=f"汇总{i}", industry=industries["biomedicine"],
            total_investment=D("100000000"), stage=ProjectStage.CONTINUING)
        AnnualPlan.objects.create(project=project, year=2024, planned_investment=D("1000"))
        result.append(project)
    return result


def test_trigger_statuses_match_the_dashboard():
    assert set(summary.COUNTED_STATUSES) == {str(s) for s in COUNTED_STATUSES}
    from importlib import import_module
    migration = import_module("projects.migrations.0003_progress_summary_triggers")
    assert migration.COUNTED == "(" + ", ".join(f"'{s}'" for s in summary.COUNTED_STATUSES) + ")"


def test_each_status_counts_or_not(projects):
    project = projects[0]
    for month, status in enumerate(STATUSES, start=1):
        ProgressReport.objects.create(project=project, year=2024, month=month,
                                      completed_investment=D("10.25"),
                                      fixed_asset_investment=D("1.50"), status=status,
                                      return_reason="x" if status == "returned" else "")
    row = ProjectYearProgress.objects.get(project=project, year=2024)
    for month, status in enumerate(STATUSES, start=1):
        counted = status in summary.COUNTED_STATUSES
        assert getattr(row, f"completed_m{month}") == (D("10.25") if counted else 0)
        assert getattr(row, f"fixed_m{month}") == (D("1.50") if counted else 0)
    assert row.completed() == D("20.50")
    in_step()


@pytest.mark.parametrize("seed", range(6))
def test_random_writes_keep_the_summary_in_step(projects, seed):
    rng = random.Random(seed)
    slots = [(p, y, m) for p in projects for y in (2023, 2024) for m in range(1, 13)]

    def free_slots():
        taken = set(ProgressReport.objects.values_list("project_id", "year", "month"))
        return [s for s in slots if (s[0].pk, s[1], s[2]) not in taken]

    for _step in range(40):
        reports = list(ProgressReport.objects.all())
        op = rng.choice(["create", "create", "amount", "status", "move", "delete",
                         "qs_update", "qs_status", "bulk_create", "qs_delete", "raw"])
        if op == "create" or not reports:
            free = free_slots()
            if free:
                p, y, m = rng.choice(free)
                new_report(p, y, m, rng).save()
        elif op == "amount":
            report = rng.choice(reports)
            report.completed_investment = amount(rng)
            if rng.random() < 0.5:
                report.fixed_asset_investment = amount(rng)
            report.save()
        elif op == "status":   # draft → submitted → approved, returned, and back
            report = rng.choice(reports)
            report.status = rng.choice(STATUSES)
            report.return_reason = "退回" if report.status == ReportStatus.RETURNED else ""
            report.save()
        elif op == "move":     # a report moved to another project, year or month
            free = free_slots()
            if free:
                report = rng.choice(reports)
                report.project, report.year, report.month = rng.choice(free)
                report.save()
        elif op == "delete":
            rng.choice(reports).delete()
        elif op == "qs_update":
            chosen = rng.sample(reports, k=min(len(reports), rng.randint(1, 6)))
            ProgressReport.objects.filter(pk__in=[r.pk for r in chosen]).update(
                completed_investment=F("completed_investment") + D("1.01"),
                fixed_asset_investment=D(rng.randint(0, 99)))
        elif op == "qs_status":
            status = rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED,
                                 ReportStatus.APPROVED])
            ProgressReport.objects.filter(year=rng.choice((2023, 2024))).update(status=status)
        elif op == "bulk_create":
            free = free_slots()
            rng.shuffle(free)
            ProgressReport.objects.bulk_create(
                [new_report(p, y, m, rng) for p, y, m in free[:rng.randint(1, 8)]])
        elif op == "qs_delete":
            ProgressReport.objects.filter(project=rng.choice(projects),
                                          month__gt=rng.randint(6, 12)).delete()
        elif op == "raw":
            table = ProgressReport._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET completed_investment = "
                               f"completed_investment + 0.07, status = %s WHERE month = %s",
                               [rng.choice(STATUSES[:3]), rng.randint(1, 12)])
        in_step()


def test_service_workflow_and_project_deletion(project, staff_user, leader):
    report = services.save_progress_report(
        project=project, year=2024, month=1, user=staff_user, version=0,
        data={"completed_investment": D("300.50"), "fixed_asset_investment": D("100")})
    assert not ProjectYearProgress.objects.exists()      # a draft does not count
    report = services.save_progress_report(
        project=project, year=2024, month=1, user=staff_user, version=report.version,
        data={"completed_investment": D("300.50")}, submit=True)
    assert ProjectYearProgress.objects.get().completed_m1 == D("300.50")
    report = services.return_report(report=report, user=leader, version=report.version,
                                    reason="请核实")
    assert ProjectYearProgress.objects.get().completed_m1 == 0
    report = services.save_progress_report(
        project=project, year=2024, month=1, user=staff_user, version=report.version,
        data={"completed_investment": D("280.00")}, submit=True)
    report = services.approve_report(report=report, user=leader, version=report.version)
    row = ProjectYearProgress.objects.get()
    assert (row.completed_m1, row.fixed_m1) == (D("280.00"), D("100.00"))
    in_step()
    project.delete()          # the ORM cascade removes reports and summary rows, any order
    assert not ProjectYearProgress.objects.exists()
    in_step()


def test_rebuild_is_idempotent_and_check_reports_drift(projects):
    rng = random.Random(7)
    ProgressReport.objects.bulk_create(
        [new_report(p, 2024, m, rng, status="approved") for p in projects for m in (1, 2, 3)])
    before = summary.stored()
    assert before and in_step()
    out = StringIO()
    call_command("rebuild_progress_summary", stdout=out)
    call_command("rebuild_progress_summary", stdout=out)
    assert summary.stored() == before
    ProjectYearProgress.objects.filter(project=projects[0]).update(completed_m2=D("1.00"))
    with pytest.raises(Exception, match="1 project-year summaries differ"):
        call_command("rebuild_progress_summary", check=True, stdout=StringIO())
    call_command("rebuild_progress_summary", park="testpark", stdout=out)
    call_command("rebuild_progress_summary", check=True, stdout=out)
    assert "in step" in out.getvalue()


def test_generated_demo_is_in_step(park, industries):
    call_command("generate_demo", park="gen", projects=30, enterprises=20, talents=2, years=2,
                 end_year=2024, stdout=StringIO())
    assert ProjectYearProgress.objects.count() > 0
    in_step()
    call_command("generate_demo", park="gen", projects=10, enterprises=20, talents=2, years=1,
                 end_year=2024, stdout=StringIO(), reset=True)
    in_step()
    assert set(ProjectYearProgress.objects.values_list("year", flat=True)) <= {2024}
