"""Audit trail: saves, bulk writes and deletes all leave who / when / before / after."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, Relation
from parkportal.audit import history_suppressed, record_history_for_pks
from parkportal.once import new_token
from projects.models import AnnualPlan, ProgressReport, Project
from tests.conftest import PASSWORD


def test_queryset_update_writes_history(project):
    before = project.history.count()
    Project.objects.filter(pk=project.pk).update(total_investment=Decimal("12000"))
    assert project.history.count() == before + 1
    latest = project.history.first()
    assert latest.history_type == "~" and latest.total_investment == Decimal("12000")
    assert latest.prev_record.total_investment == Decimal("10000")


def test_related_manager_update_is_audited(project):
    plan = project.annual_plans.get()
    project.annual_plans.update(planned_investment=Decimal("4500"))
    assert plan.history.first().planned_investment == Decimal("4500")


def test_bulk_create_and_bulk_update_write_history(project):
    reports = ProgressReport.objects.bulk_create([
        ProgressReport(project=project, year=2024, month=m, completed_investment=Decimal(m))
        for m in (1, 2)])
    assert ProgressReport.history.filter(history_type="+").count() == 2
    for report in reports:
        report.completed_investment += 10
    ProgressReport.objects.bulk_update(reports, ["completed_investment"])
    changed = ProgressReport.history.filter(history_type="~").order_by("month")
    assert [h.completed_investment for h in changed] == [Decimal("11"), Decimal("12")]


def test_queryset_delete_writes_history(project):
    ProgressReport.objects.create(project=project, year=2024, month=1)
    ProgressReport.objects.filter(project=project).delete()
    assert ProgressReport.history.filter(history_type="-").count() == 1


def test_suppressed_block_and_helper_for_raw_writes(park, admin_user):
    """What the enterprise import does: write rows without the ORM, then record history."""
    with history_suppressed():
        [e] = Enterprise.objects.bulk_create([Enterprise(
            park=park, name="导入企业", credit_code="91610728MA6YQ3W27J",
            relation=Relation.RESIDENT)])
    assert e.history.count() == 0
    assert record_history_for_pks(Enterprise, [e.pk], history_type="+", user=admin_user,
                                  reason="import batch 1") == 1
    row = e.history.get()
    assert row.history_user == admin_user and row.history_change_reason == "import batch 1"


def test_request_user_is_recorded_and_history_shown(client, project, staff_user):
    client.login(username=staff_user.username, password=PASSWORD)
    client.post(reverse("projects:progress", kwargs={"code": project.code,
                                                      "period": "2024-02"}),
                {"version": "0", "completed_investment": "123.45",
                 "fixed_asset_investment": "0", "stage": "new_start", "action": "save",
                 "form_token": new_token()})
    client.post(reverse("projects:progress", kwargs={"code": project.code,
                                                      "period": "2024-02"}),
                {"version": "1", "completed_investment": "150", "fixed_asset_investment": "0",
                 "stage": "new_start", "action": "submit", "form_token": new_token()})
    report = ProgressReport.objects.get()
    assert {h.history_user for h in report.history.all()} == {staff_user}
    page = client.get(reverse("projects:detail", kwargs={"code": project.code})).content
    page = page.decode()
    assert "变更记录" in page
    assert "123.45" in page and "150.00" in page  # before and after
    assert "张三" in page  # who


@pytest.mark.parametrize("model", [Project, AnnualPlan, ProgressReport, Enterprise])
def test_audited_models_use_the_audited_manager(model):
    from parkportal.audit import AuditedQuerySet

    assert isinstance(model._default_manager.all(), AuditedQuerySet)
