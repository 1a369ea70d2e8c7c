"""The 1—N月 plan-against-completed workbook: its figures (hand-computed on the dashboard's
small park), its layout, and its totals equal to the dashboard roll-up."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dashboard.selectors import park_rollup
from parks.models import Park
from projects.models import AnnualPlan
from upward.selectors import plan_vs_completed, planned_to_month
from upward.workbook import plan_vs_completed_bytes

D = Decimal


def rows_of(data: bytes):
    return list(load_workbook(BytesIO(data)).active.iter_rows(values_only=True))


def test_months_plan_and_completed_per_project(park, small_park):
    report = plan_vs_completed(parks=[park], year=2024, month=6)
    lines = {line.project.code: line for line in report.blocks[0].lines}
    assert set(lines) == {"A", "B", "C", "E"}  # D has a 2023 plan only
    # Counted reports only: A's June draft and B's returned March are not figures.
    assert lines["A"].months == [D("0.00"), 0, 0, D("500.00"), D("700.00"), 0]
    assert lines["B"].months == [0, D("1000.00"), 0, 0, D("800.00"), 0]
    assert lines["A"].completed == D("1200.00") and lines["A"].completion_rate == D("0.3000")
    assert lines["C"].planned_to_month == D("1000.00")  # 2000 × 6 ÷ 12, no quarter plans
    assert report.totals.planned == D("10000.00")
    assert report.totals.completed == D("3000.00")
    assert report.totals.months == [0, D("1000.00"), 0, D("500.00"), D("1500.00"), 0]


def test_planned_to_month_follows_quarter_plans(project):
    plan = AnnualPlan.objects.get(project=project)
    plan.q1_planned, plan.q2_planned, plan.q3_planned, plan.q4_planned = (
        D("400"), D("900"), D("1200"), D("1500"))
    plan.save()
    assert [planned_to_month(plan, m) for m in (1, 3, 4, 5, 6, 12)] == [
        D("133.33"), D("400.00"), D("700.00"), D("1000.00"), D("1300.00"), D("4000.00")]
    assert planned_to_month(None, 6) == D("0.00")


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_totals_equal_the_dashboard_rollup(park, small_park, quarter):
    figures = park_rollup(park=park, year=2024, quarter=quarter)
    report = plan_vs_completed(parks=[park], year=2024, month=3 * quarter)
    assert report.totals.planned == figures["annual_planned"]
    assert report.totals.completed == figures["completed_ytd"]
    assert report.totals.total_investment == figures["total_investment"]
    assert report.totals.projects == figures["projects_planned"]


def test_seeded_park_workbook_matches_the_report(seeded):
    zhenba = Park.objects.get(slug="zhenba")
    rows = rows_of(plan_vs_completed_bytes(parks=[zhenba], year=2024, month=3,
                                           title="镇巴县产业园区2024年1—3月表"))
    assert rows[0][0] == "镇巴县产业园区2024年1—3月表"
    assert "时序进度：25.0%" in rows[1][0]
    header, sub = rows[2], rows[3]
    assert header[:6] == ("序号", "项目名称", "建设性质", "项目阶段", "总投资", "年度计划投资")
    assert header[6] == "1—3月累计" and header[9] == "逐月完成投资"
    assert sub[6:12] == ("计划投资", "完成投资", "完成率", "1月", "2月", "3月")
    total = rows[4]
    assert total[1] == "合计（13个项目）"
    figures = park_rollup(park=zhenba, year=2024, quarter=1)
    assert D(str(total[5])) == figures["annual_planned"] == D("70000")
    assert D(str(total[7])) == figures["completed_ytd"]
    assert sum(D(str(v)) for v in total[9:12]) == figures["completed_ytd"]
    assert len(rows) == 5 + 13
    assert [row[0] for row in rows[5:]] == list(range(1, 14))


def test_several_parks_get_a_subtotal_each_and_one_total(park, small_park, other_park):
    from projects.models import ProgressReport, Project

    ProgressReport.objects.create(project=Project.objects.get(code="O-001"), year=2024,
                                  month=2, completed_investment=D("40.00"), status="approved")
    rows = rows_of(plan_vs_completed_bytes(parks=[park, other_park], year=2024, month=3,
                                           title="汉中市"))
    labels = [row[1] for row in rows[4:] if row[0] is None]
    assert labels == ["合计（2个园区，5个项目）", "测试产业园区小计（4个项目）",
                      "另一园区小计（1个项目）"]
    total, first, second = (row for row in rows[4:] if row[0] is None)
    assert D(str(total[5])) == D(str(first[5])) + D(str(second[5])) == D("10100")
    assert D(str(total[7])) == D("1040")  # B's February 1000 + the other park's 40


def test_text_cells_cannot_be_formulas(park, small_park):
    small_park["A"].name = "=HYPERLINK(\"http://x\")"
    small_park["A"].save()
    rows = rows_of(plan_vs_completed_bytes(parks=[park], year=2024, month=6, title="t"))
    names = [row[1] for row in rows[5:]]
    assert not any(str(name).startswith("=") for name in names)


def test_command_writes_the_workbook_and_refuses_an_unknown_park(park, small_park, tmp_path):
    from django.core.management import CommandError

    target = tmp_path / "up.xlsx"
    call_command("upward_report", park=["testpark"], year=2024, month=6, output=str(target),
                 stdout=StringIO())
    assert rows_of(target.read_bytes())[4][1] == "合计（4个项目）"
    with pytest.raises(CommandError):
        call_command("upward_report", park=["nope"], year=2024, month=6,
                     output=str(tmp_path / "x.xlsx"), stdout=StringIO())
    assert not (tmp_path / "x.xlsx").exists()


def test_query_count_does_not_grow_with_the_parks(park, small_park, other_park):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        plan_vs_completed(parks=[park], year=2024, month=6)
    with CaptureQueriesContext(connection) as two:
        plan_vs_completed(parks=[park, other_park], year=2024, month=6)
    assert len(one) == len(two) == 4
