"""Year rollover (issue 11 item 4): drafts for Y+1 carrying 至上年底累计, excluded from every
figure until confirmed; idempotent; dry run writes nothing; the command's interface."""

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from dashboard.rollover import confirm_year, rollover_year
from dashboard.selectors import park_rollup
from parks.models import ParkAnnualTarget, PlanStatus
from projects.models import AnnualPlan, ProjectStage
from projects.selectors import project_list

pytestmark = pytest.mark.django_db
D = Decimal
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def with_target(park, small_park):
    ParkAnnualTarget.objects.create(park=park, year=2024, projects_planned=4,
                                    annual_investment=D("10000"),
                                    industrial_investment=D("5000"), talents_to_introduce=3)
    return small_park


def written(park):
    return (sorted(AnnualPlan.objects.values_list("project__code", "year", "status",
                                                  "completed_before_year")),
            list(ParkAnnualTarget.objects.values_list("year", "status")),
            AnnualPlan.history.count(), ParkAnnualTarget.history.count())


def test_drafts_carry_the_cumulative_completed_by_the_dashboards_rule(park, with_target):
    plans = with_target
    AnnualPlan.objects.filter(project=plans["A"], year=2024).update(
        completed_before_year=D("300"))
    result = rollover_year(park=park, from_year=2024, to_year=2025)
    assert (result.plans_created, result.targets_created) == (4, 1)
    drafts = {p.project.code: p for p in AnnualPlan.objects.filter(year=2025)}
    # E is cancelled: it does not go on.
    assert set(drafts) == {"A", "B", "C", "D"}
    # A: 300 before 2024 + counted 2024 reports (0 + 500 + 700 submitted + 900; the draft
    # June report does not count). B: 1000 + 800 (the returned March report does not count).
    # D has no 2024 plan: its counted reports of the years before (999) + none in 2024.
    assert {code: p.completed_before_year for code, p in drafts.items()} == {
        "A": D("2400.00"), "B": D("1800.00"), "C": D("0.00"), "D": D("999.00")}
    assert all(p.status == PlanStatus.DRAFT and p.planned_investment == 0
               for p in drafts.values())
    target = ParkAnnualTarget.objects.get(year=2025)
    assert target.status == PlanStatus.DRAFT and target.annual_investment == D("10000")
    assert target.talents_to_introduce == 3
    assert [row["code"] for row in result.projects] == ["A", "B", "C", "D"]


def test_suspended_projects_go_on_completed_ones_do_not(park, small_park):
    small_park["B"].stage, small_park["B"].suspended_on = ProjectStage.SUSPENDED, "2024-06-01"
    small_park["B"].suspended_reason = "资金"
    small_park["B"].save()
    small_park["C"].stage = ProjectStage.COMPLETED
    small_park["C"].save()
    result = rollover_year(park=park, from_year=2024, to_year=2025)
    assert [row["code"] for row in result.projects] == ["A", "B", "D"]


def test_a_second_run_adds_nothing_and_a_dry_run_writes_nothing(park, with_target):
    before = written(park)
    dry = rollover_year(park=park, from_year=2024, to_year=2025, dry_run=True)
    assert (dry.plans_created, dry.targets_created, dry.dry_run) == (4, 1, True)
    assert written(park) == before
    rollover_year(park=park, from_year=2024, to_year=2025)
    after_first = written(park)
    again = rollover_year(park=park, from_year=2024, to_year=2025)
    assert (again.plans_created, again.targets_created) == (0, 0)
    assert again.already_planned == ["A", "B", "C", "D"]
    assert written(park) == after_first


def test_drafts_count_in_no_figure_until_confirmed(park, with_target, admin_user, staff_user):
    before_2024 = park_rollup(park=park, year=2024, quarter=4)
    rollover_year(park=park, from_year=2024, to_year=2025)
    AnnualPlan.objects.filter(year=2025, project__code="A").update(
        planned_investment=D("2000"))
    figures = park_rollup(park=park, year=2025, quarter=1)
    assert (figures["projects_planned"], figures["annual_planned"]) == (0, D("0"))
    assert figures["targets"] is None
    assert park_rollup(park=park, year=2024, quarter=4) == before_2024
    rows = {p.code: p.year_planned for p in project_list(staff_user, year=2025)}
    assert set(rows.values()) == {None}  # the list shows no draft plan either
    assert confirm_year(park=park, year=2025, user=admin_user) == (4, 1)
    figures = park_rollup(park=park, year=2025, quarter=1)
    assert figures["projects_planned"] == 4 and figures["annual_planned"] == D("2000")
    assert figures["targets"]["annual_investment"] == D("10000")
    record = AnnualPlan.objects.get(year=2025, project__code="A").history.first()
    assert record.history_user == admin_user and record.status == PlanStatus.CONFIRMED


def test_only_this_parks_admins_roll_over(park, small_park, staff_user, leader):
    from django.core.exceptions import PermissionDenied

    for user in (staff_user, leader):
        with pytest.raises(PermissionDenied):
            rollover_year(park=park, from_year=2024, to_year=2025, user=user)
    assert not AnnualPlan.objects.filter(year=2025).exists()


def test_years_must_follow_each_other(park, small_park):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rollover_year(park=park, from_year=2024, to_year=2026)


def test_the_seeded_report_rolls_over_and_its_2024_figures_stay(db):
    call_command("seed_report", stdout=StringIO())

    def rollup():
        out = StringIO()
        call_command("rollup", park="zhenba", year=2024, quarter=1, format="json", stdout=out)
        return out.getvalue()

    def rollover(*extra):
        out = StringIO()
        call_command("rollover_year", "--park", "zhenba", "--from", "2024", "--to", "2025",
                     "--format", "json", *extra, stdout=out)
        return json.loads(out.getvalue())

    before, plans = rollup(), AnnualPlan.objects.count()
    dry = rollover("--dry-run")
    assert dry["dry_run"] is True and dry["plans_created"] == 13 and dry["targets_created"] == 1
    assert (dry["park"], dry["from"], dry["to"]) == ("zhenba", 2024, 2025)
    assert AnnualPlan.objects.count() == plans and not ParkAnnualTarget.objects.filter(
        year=2025).exists()
    real = rollover()
    assert real["plans_created"] == 13 and real["dry_run"] is False
    assert AnnualPlan.objects.filter(year=2025, status=PlanStatus.DRAFT).count() == 13
    assert rollover()["plans_created"] == 0
    assert rollup() == before  # F1–F17 unchanged (tests/foundation/test_seed.py)


def test_bad_arguments_exit_2_with_a_message(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                   check=True)
    subprocess.run([sys.executable, "manage.py", "seed_report"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    for args, words in ((["--park", "nowhere", "--from", "2024", "--to", "2025"], "未找到园区"),
                        (["--park", "zhenba", "--from", "2024", "--to", "2026"], "2026")):
        run = subprocess.run([sys.executable, "manage.py", "rollover_year", *args], cwd=ROOT,
                             env=env, capture_output=True, text=True)
        assert run.returncode == 2 and words in run.stderr, run.stderr


def test_the_pages_preview_run_and_confirm(client, park, with_target, admin_user, staff_user,
                                           leader):
    url = reverse("dashboard:rollover")
    for user in (staff_user, leader):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"from_year": 2024}).status_code == 403
    assert not AnnualPlan.objects.filter(year=2025).exists()
    client.force_login(admin_user)
    page = client.get(url, {"from_year": 2024}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "rollover-preview" in page.content.decode()
    assert not AnnualPlan.objects.filter(year=2025).exists()  # the preview writes nothing
    response = client.post(url, {"from_year": 2024})
    assert response["Location"].startswith(reverse("dashboard:rollover_confirm", args=[2025]))
    assert AnnualPlan.objects.filter(year=2025, status=PlanStatus.DRAFT).count() == 4
    confirm = client.get(response["Location"])
    assert confirm.status_code == 200
    assert reverse("projects:plan_edit", args=["A", 2025]) in confirm.content.decode()
    client.post(response["Location"])
    assert not AnnualPlan.objects.filter(year=2025, status=PlanStatus.DRAFT).exists()
    assert ParkAnnualTarget.objects.get(year=2025).status == PlanStatus.CONFIRMED
