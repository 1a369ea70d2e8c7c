"""`manage.py import_schedule`: the 重点项目进度表 read as offices keep it, written through the
plan of projects.importing.writer; JSON output and exit codes as import_enterprises."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from enterprises.models import ImportBatch
from projects.models import (
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ProjectYearProgress,
    ReportStatus,
)
from tests.imports import schedule_files as sf

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    try:
        call_command("import_schedule", *map(str, args))
        status = 0
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def history_count() -> int:
    return (Project.history.count() + AnnualPlan.history.count()
            + ProgressReport.history.count())


def test_first_import_creates_projects_plans_and_submitted_reports(
        park, industries, import_file, capsys):
    path = import_file(sf.schedule_xlsx(), "进度表.xlsx")
    status, out, err = run(capsys, path, "--park", park.slug, "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    batch = ImportBatch.objects.get()
    assert data == {"projects": {"created": 3, "updated": 0, "unchanged": 0},
                    "plans": {"created": 3, "updated": 0, "unchanged": 0},
                    "reports": {"created": 3, "updated": 0, "unchanged": 0},
                    "rejected": 0, "warnings": data["warnings"], "errors": [],
                    "batch": batch.pk}
    assert batch.target == "schedule" and batch.summary["period"] == {"year": 2025,
                                                                      "month": 3}
    # Section rows, 合计 and 注 are never projects; sections give new projects their stage.
    assert set(Project.objects.values_list("name", flat=True)) == {
        "续建项目1", "续建项目2", "新开工项目1"}
    assert Project.objects.get(name="续建项目1").stage == ProjectStage.CONTINUING
    assert Project.objects.get(name="新开工项目1").stage == ProjectStage.NEW_START
    project = Project.objects.get(name="续建项目1")
    assert project.total_investment == Decimal("12000.00") and project.park == park
    assert project.industry == industries["other"]
    plan = AnnualPlan.objects.get(project=project)
    assert (plan.year, plan.planned_investment, plan.industrial_investment) == (
        2025, Decimal("3000.00"), Decimal("2000.00"))
    report = ProgressReport.objects.get(project=project)
    assert (report.year, report.month, report.completed_investment) == (2025, 3,
                                                                        Decimal("150.00"))
    assert report.status == ReportStatus.SUBMITTED and report.image_progress == "主体结构施工"
    assert ProgressReport.objects.get(project__name="新开工项目1").problems == "用地指标未落实"
    # The figures trigger saw the bulk insert.
    assert ProjectYearProgress.objects.get(project=project, year=2025).completed_m3 == \
        Decimal("150.00")
    # History attributed to the batch.
    assert set(ProgressReport.history.values_list("history_change_reason", flat=True)) == {
        f"import batch {batch.pk}"}
    # 累计 450 ≠ 0 + 150 in the system: a warning for each of the two continuing projects.
    cumulative = [w for w in data["warnings"] if w["column"] == "1—3月完成 累计"]
    assert [w["row"] for w in cumulative] == [6, 7]
    assert "450.00" in cumulative[0]["message"]


def test_reimport_changes_nothing_history_included(park, industries, import_file, capsys):
    path = import_file(sf.schedule_xlsx(), "进度表.xlsx")
    run(capsys, path, "--park", park.slug, "--format", "json")
    before = history_count()
    status, out, _err = run(capsys, path, "--park", park.slug, "--format", "json")
    data = json.loads(out)
    assert status == 0
    for kind in ("projects", "plans", "reports"):
        assert data[kind] == {"created": 0, "updated": 0, "unchanged": 3}
    assert history_count() == before
    assert Project.objects.count() == 3


def test_update_total_plan_and_report(park, industries, import_file, capsys):
    run(capsys, import_file(sf.schedule_xlsx(), "a.xlsx"), "--park", park.slug)
    rows = [["一、续建项目"], sf.project("续建项目1", total="13,500.5", planned="3200",
                                          month="180")]
    status, out, _err = run(capsys, import_file(sf.schedule_xlsx(rows), "b.xlsx"),
                            "--park", park.slug, "--format", "json")
    data = json.loads(out)
    assert status == 0
    assert data["projects"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert data["plans"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert data["reports"] == {"created": 0, "updated": 1, "unchanged": 0}
    project = Project.objects.get(name="续建项目1")
    assert project.total_investment == Decimal("13500.50")
    assert project.annual_plans.get().planned_investment == Decimal("3200.00")
    report = project.progress_reports.get()
    assert report.completed_investment == Decimal("180.00") and report.version == 2
    assert project.history.count() == 2 and report.history.count() == 2


def test_match_by_code_then_name_and_duplicate_names_rejected(
        park, industries, import_file, capsys):
    kw = {"park": park, "industry": industries["biomedicine"], "total_investment": 50000}
    Project.objects.create(code="ZB2024-01", name="旧名称项目", **kw)
    Project.objects.create(code="ZB2024-02", name="同名项目", **kw)
    Project.objects.create(code="ZB2024-03", name="同名项目", **kw)
    upper = ["项目编号", *sf.UPPER[1:]]
    rows = [["ZB2024-01", *sf.project("文件里的新名称")[1:]], sf.project("同名项目", serial="")]
    path = import_file(sf.schedule_xlsx(rows, upper=upper), "c.xlsx")
    status, out, _err = run(capsys, path, "--park", park.slug, "--format", "json")
    data = json.loads(out)
    assert status == 0
    assert data["projects"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert data["rejected"] == 1
    assert data["errors"][0]["row"] == 6 and "ZB2024-02" in data["errors"][0]["message"]
    assert Project.objects.get(code="ZB2024-01").total_investment == Decimal("12000.00")
    assert Project.objects.count() == 3
    # New projects get the park's code prefix (ZB), the year and a number.
    rows = [sf.project("全新项目")]
    run(capsys, import_file(sf.schedule_xlsx(rows), "d.xlsx"), "--park", park.slug)
    assert Project.objects.get(name="全新项目").code == "ZB2025-01"


def test_cumulative_consistent_with_earlier_months_gives_no_warning(
        park, industries, import_file, capsys):
    project = Project.objects.create(park=park, code="ZB2025-07", name="续建项目1",
                                     industry=industries["other"], total_investment=12000)
    for month, amount in ((1, 100), (2, 200)):
        ProgressReport.objects.create(project=project, year=2025, month=month,
                                      completed_investment=amount,
                                      status=ReportStatus.APPROVED)
    rows = [sf.project("续建项目1", month="150", cumulative="450")]
    status, out, _err = run(capsys, import_file(sf.schedule_xlsx(rows)), "--park", park.slug,
                            "--format", "json")
    assert json.loads(out)["warnings"] == []
    rows = [sf.project("续建项目1", month="150", cumulative="500")]
    status, out, _err = run(capsys, import_file(sf.schedule_xlsx(rows)), "--park", park.slug,
                            "--dry-run", "--format", "json")
    warnings = json.loads(out)["warnings"]
    assert [w["column"] for w in warnings] == ["1—3月完成 累计", "完成率"]
    assert "300.00" in warnings[0]["message"] and "16.7%" in warnings[1]["message"]
    # A warning changes nothing: the earlier months stay as they were.
    assert sorted(project.progress_reports.values_list("completed_investment", flat=True)) \
        == [Decimal("100.00"), Decimal("150.00"), Decimal("200.00")]


def test_approved_report_is_not_changed(park, industries, import_file, capsys):
    project = Project.objects.create(park=park, code="ZB2025-07", name="续建项目1",
                                     industry=industries["other"], total_investment=12000)
    ProgressReport.objects.create(project=project, year=2025, month=3,
                                  completed_investment=99, status=ReportStatus.APPROVED)
    status, out, _err = run(capsys, import_file(sf.schedule_xlsx([sf.project("续建项目1")])),
                            "--park", park.slug, "--format", "json")
    data = json.loads(out)
    assert data["rejected"] == 1 and "2025-03" in data["errors"][0]["message"]
    assert ProgressReport.objects.get().completed_investment == Decimal("99.00")


def test_year_and_month_options_and_from_title(park, industries, import_file, capsys):
    upper = [*sf.UPPER]
    upper[7] = "本年完成"  # no 1—N月 in the header; the title says the month
    path = import_file(sf.schedule_xlsx(title="2024年5月重点项目进度表", upper=upper))
    status, out, _err = run(capsys, path, "--park", park.slug, "--dry-run", "--format",
                            "json")
    assert status == 0
    assert ProgressReport.objects.count() == 0
    status, out, _err = run(capsys, path, "--park", park.slug, "--year", "2024", "--month",
                            "5")
    assert status == 0
    assert set(ProgressReport.objects.values_list("year", "month")) == {(2024, 5)}


def test_no_period_is_a_file_error(park, industries, import_file, capsys):
    upper = [*sf.UPPER]
    upper[5], upper[7] = "年度计划", "本年完成"
    path = import_file(sf.schedule_xlsx(title="重点项目进度表", upper=upper, date_line=False))
    status, out, err = run(capsys, path, "--park", park.slug)
    assert status == 2 and "--year" in err and Project.objects.count() == 0


def test_strict_exit_1_and_bad_amounts(park, industries, import_file, capsys):
    rows = [sf.project("好项目"), sf.project("坏项目", planned="三千", serial="2")]
    path = import_file(sf.schedule_xlsx(rows))
    status, out, _err = run(capsys, path, "--park", park.slug, "--strict", "--format", "json")
    data = json.loads(out)
    assert status == 1 and data["rejected"] == 1
    assert data["errors"] == [{"row": 6, "column": "2025年度计划 计划投资",
                               "message": data["errors"][0]["message"]}]
    assert Project.objects.count() == 0
    assert ImportBatch.objects.get().state == ImportBatch.State.FAILED


def test_not_a_spreadsheet_exit_2(park, import_file, capsys):
    status, out, err = run(capsys, import_file(b"%PDF-1.4 ...", "x.xlsx"), "--park", park.slug)
    assert status == 2 and err and ImportBatch.objects.count() == 0


def test_future_month_refused(park, industries, import_file, capsys):
    path = import_file(sf.schedule_xlsx())
    status, _out, err = run(capsys, path, "--park", park.slug, "--year", "2099", "--month", "1")
    assert status == 2 and "2099-01" in err and Project.objects.count() == 0


def test_text_output(park, industries, import_file, capsys):
    status, out, _err = run(capsys, import_file(sf.schedule_xlsx()), "--park", park.slug,
                            "--dry-run")
    assert status == 0 and "2025-03" in out


def test_one_project_matched_twice_rejects_the_second_row(park, industries, import_file,
                                                          capsys):
    Project.objects.create(park=park, code="ZB2024-05", name="甲项目",
                           industry=industries["other"], total_investment=20000)
    upper = ["项目编号", *sf.UPPER[1:]]
    rows = [["ZB2024-05", *sf.project("甲项目（新名）")[1:]], ["", *sf.project("甲项目")[1:]]]
    status, out, _err = run(capsys, import_file(sf.schedule_xlsx(rows, upper=upper)),
                            "--park", park.slug, "--format", "json")
    data = json.loads(out)
    assert data["rejected"] == 1 and data["errors"][0]["row"] == 6
    assert data["reports"]["created"] == 1 and ProgressReport.objects.count() == 1


def test_industry_from_the_file(park, industries, import_file, capsys):
    upper = [*sf.UPPER, "产业类别"]
    lower = [*sf.LOWER, ""]
    rows = [[*sf.project("甲项目"), "生物医药"], [*sf.project("乙项目", serial="2"), "新材料"]]
    status, out, _err = run(capsys, import_file(sf.schedule_xlsx(rows, upper=upper,
                                                                 lower=lower)),
                            "--park", park.slug, "--format", "json")
    data = json.loads(out)
    assert status == 0 and data["projects"]["created"] == 2
    assert Project.objects.get(name="甲项目").industry == industries["biomedicine"]
    assert Project.objects.get(name="乙项目").industry == industries["other"]
    industry_warnings = [w for w in data["warnings"] if w["column"] == "产业类别"]
    assert [w["row"] for w in industry_warnings] == [6] and "新材料" in \
        industry_warnings[0]["message"]


def test_an_unusual_amount_is_imported_as_given_warned_and_marked_for_review(
        park, industries, import_file, capsys):
    """本月完成 900 against a year's plan of 3000 (250 a month): more than three planned
    months, the rule the report form asks a reason for. The import keeps the file's amount,
    warns in its output and leaves the reason on the report for the reviewer."""
    rows = [["一、续建项目"], sf.project("续建项目1", month="900", cumulative="900"),
            sf.project("续建项目2", serial="2")]
    path = import_file(sf.schedule_xlsx(rows), "a.xlsx")
    status, out, _err = run(capsys, path, "--park", park.slug, "--format", "json")
    assert status == 0
    data = json.loads(out)
    unusual = [w for w in data["warnings"] if w["column"] == "1—3月完成 本月"]
    assert [w["row"] for w in unusual] == [6]
    assert "900.00" in unusual[0]["message"] and "250.00" in unusual[0]["message"]
    report = ProgressReport.objects.get(project__name="续建项目1")
    assert report.completed_investment == Decimal("900.00")
    assert "250.00" in report.unusual_amount_reason
    assert ProgressReport.objects.get(project__name="续建项目2").unusual_amount_reason == ""
    # Importing the same file again changes nothing and warns no more than the first time.
    before = history_count()
    _status, out, _err = run(capsys, path, "--park", park.slug, "--format", "json")
    assert json.loads(out)["reports"]["unchanged"] == 2 and history_count() == before
    assert not [w for w in json.loads(out)["warnings"] if w["column"] == "1—3月完成 本月"]


def test_a_changed_projects_history_keeps_its_responsible_staff(
        park, industries, staff_user, import_file, capsys):
    run(capsys, import_file(sf.schedule_xlsx(), "a.xlsx"), "--park", park.slug)
    project = Project.objects.get(name="续建项目1")
    project.responsible.add(staff_user)  # a history row of its own, with staff_user
    rows = [["一、续建项目"], sf.project("续建项目1", total="13,000")]
    status, _out, _err = run(capsys, import_file(sf.schedule_xlsx(rows), "b.xlsx"),
                             "--park", park.slug)
    assert status == 0
    latest = project.history.order_by("-history_id").first()
    assert latest.total_investment == Decimal("13000.00")
    assert [m.user_id for m in latest.responsible.all()] == [staff_user.pk]
