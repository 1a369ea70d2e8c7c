"""Project upkeep by park admins: projects, 停缓建, annual plans with quarters, 前期手续."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import AnnualPlan, PreliminaryProcedure, Project, ProjectStage

NEW_PROJECT = {
    "code": "ZB2025-01", "name": "中药材精深加工项目", "total_investment": "12000",
    "construction_nature": "new", "stage": "preliminary", "responsible_unit": "县工信局",
    "leader_in_charge": "王副县长", "location": "镇巴县产业园区", "in_statistics": "on",
    "in_statistics_on": "2025-01-15", "construction_content": "建设标准化厂房2万平方米",
}


def snapshot(model):
    return list(model.objects.order_by("pk").values())


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_adds_a_project_with_every_field(admin, admin_user, industries, staff_user,
                                               park):
    response = admin.post(reverse("projects:create"), {
        **NEW_PROJECT, "industry": industries["biomedicine"].pk,
        "responsible": [staff_user.pk], "is_major": "on"})
    assert response.status_code == 302
    project = Project.objects.get(code="ZB2025-01")
    assert response["Location"] == reverse("projects:detail", args=[project.code])
    assert (project.park, project.construction_nature, project.responsible_unit,
            project.leader_in_charge, project.in_statistics_on, project.is_major) == (
        park, "new", "县工信局", "王副县长", date(2025, 1, 15), True)
    assert project.total_investment == Decimal("12000.00")
    assert list(project.responsible.all()) == [staff_user]
    assert project.history.get(history_type="+").history_user == admin_user
    page = admin.get(reverse("projects:detail", args=[project.code])).content.decode()
    assert "县工信局" in page and "王副县长" in page


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"in_statistics_on": ""}, "in_statistics_on", ""),
    ({"total_investment": "-5"}, "total_investment", ""),
    ({"code": "T-001"}, "code", "T-001"),
    ({"stage": "suspended"}, "stage", ""),
    ({"actual_start": "2025-03-01", "actual_completion": "2025-01-01"}, "actual_completion", ""),
])
def test_bad_project_input_writes_nothing(admin, industries, project, change, field, message):
    before = snapshot(Project)
    response = admin.post(reverse("projects:create"), {
        **NEW_PROJECT, "industry": industries["biomedicine"].pk, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert snapshot(Project) == before


def test_edit_keeps_code_unique_and_records_history(admin, project, industries):
    response = admin.post(reverse("projects:edit", args=[project.code]), {
        **NEW_PROJECT, "code": project.code, "name": "测试项目（扩建）",
        "construction_nature": "expansion", "industry": industries["green-food"].pk,
        "stage": "new_start", "actual_start": "2024-01-10"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "测试项目（扩建）" and project.industry == industries["green-food"]
    assert project.history.filter(history_type="~").exists()


@pytest.mark.parametrize("persona", ["staff_user", "leader"])
def test_staff_and_leaders_cannot_add_or_edit(client, request, persona, project, industries):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot(Project)
    for url in (reverse("projects:create"), reverse("projects:edit", args=[project.code]),
                reverse("projects:suspend", args=[project.code])):
        assert client.get(url).status_code in (403, 404)
        response = client.post(url, {**NEW_PROJECT, "industry": industries["other"].pk,
                                     "code": project.code, "reason": "x",
                                     "suspended_on": "2024-05-01"})
        assert response.status_code in (403, 404)
    assert snapshot(Project) == before


def test_suspend_and_resume(admin, project):
    url = reverse("projects:suspend", args=[project.code])
    response = admin.post(url, {"suspended_on": "2024-05-01", "reason": ""})
    assert "reason" in response.context["form"].errors
    project.refresh_from_db()
    assert project.stage == ProjectStage.NEW_START
    admin.post(url, {"suspended_on": "2024-05-01", "reason": "资金未到位"})
    project.refresh_from_db()
    assert (project.stage, project.suspended_reason, project.suspended_on) == (
        ProjectStage.SUSPENDED, "资金未到位", date(2024, 5, 1))
    page = admin.get(reverse("projects:detail", args=[project.code])).content.decode()
    assert "资金未到位" in page
    response = admin.post(reverse("projects:resume", args=[project.code]))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == ProjectStage.NEW_START and project.suspended_on is None
    reasons = [h.suspended_reason for h in project.history.order_by("history_date")]
    assert "资金未到位" in reasons


def test_suspending_a_completed_project_is_refused(admin, project):
    Project.objects.filter(pk=project.pk).update(stage=ProjectStage.COMPLETED)
    response = admin.post(reverse("projects:suspend", args=[project.code]),
                          {"suspended_on": "2024-05-01", "reason": "x"})
    assert response.context["form"].non_field_errors()
    project.refresh_from_db()
    assert project.stage == ProjectStage.COMPLETED


def test_annual_plan_with_quarters(admin, project):
    url = reverse("projects:plan_create", args=[project.code])
    data = {"year": "2025", "planned_investment": "4000", "industrial_investment": "3000",
            "q1_planned": "500", "q2_planned": "1000", "q3_planned": "1500",
            "q4_planned": "900", "completed_before_year": "2500", "milestones": "主体封顶"}
    response = admin.post(url, data)
    assert "q4_planned" in response.context["form"].errors  # adds up to 3900, not 4000
    assert not AnnualPlan.objects.filter(year=2025).exists()
    response = admin.post(url, {**data, "q4_planned": "1000"})
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(project=project, year=2025)
    assert (plan.q1_planned, plan.q4_planned, plan.completed_before_year) == (
        Decimal("500.00"), Decimal("1000.00"), Decimal("2500.00"))
    # A second plan for the same year is refused; the existing one is edited.
    response = admin.post(url, {**data, "q4_planned": "1000"})
    assert "year" in response.context["form"].errors
    response = admin.post(reverse("projects:plan_edit", args=[project.code, 2025]),
                          {**data, "q4_planned": "1000", "planned_investment": "4000",
                           "industrial_investment": "4500"})
    assert "industrial_investment" in response.context["form"].errors
    plan.refresh_from_db()
    assert plan.industrial_investment == Decimal("3000.00")


def test_plan_of_another_parks_project_is_not_found(client, project):
    from parks.models import Park
    from tests.conftest import make_user

    outsider = make_user("admin_far", "admin", Park.objects.create(name="远方园区", slug="far"))
    client.force_login(outsider)
    assert client.get(reverse("projects:plan_edit", args=[project.code, 2024])).status_code \
        == 404
    assert client.get(reverse("projects:plan_create", args=[project.code])).status_code == 404


def test_procedures_with_due_dates_and_overdue_flag(admin, project):
    today = timezone.localdate()
    url = reverse("projects:procedure_create", args=[project.code])
    response = admin.post(url, {"kind": "land", "status": "done", "due_on": ""})
    assert "done_on" in response.context["form"].errors
    admin.post(url, {"kind": "land", "status": "in_progress",
                     "due_on": (today - timedelta(days=3)).isoformat()})
    admin.post(url, {"kind": "planning", "status": "pending",
                     "due_on": (today + timedelta(days=30)).isoformat()})
    land = PreliminaryProcedure.objects.get(project=project, kind="land")
    assert land.is_overdue() and not PreliminaryProcedure.objects.get(kind="planning").is_overdue()
    assert list(PreliminaryProcedure.objects.filter(PreliminaryProcedure.overdue_q(today))) == [
        land]
    page = admin.get(reverse("projects:detail", args=[project.code]))
    assert page.context["overdue_procedures"] == 1
    admin.post(reverse("projects:procedure_edit", args=[project.code, land.pk]), {
        "kind": "land", "status": "done", "due_on": land.due_on.isoformat(),
        "done_on": today.isoformat()})
    land.refresh_from_db()
    assert land.status == "done" and not land.is_overdue()
