"""The database itself refuses bad rows, whatever code path writes them."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from enterprises.models import Enterprise
from parks.models import ParkAnnualTarget
from projects.models import AnnualPlan, ProgressReport, Project, ReportStatus

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_one_report_per_project_and_month(project):
    ProgressReport.objects.create(project=project, year=2024, month=1)
    refused(lambda: ProgressReport.objects.create(project=project, year=2024, month=1))


def test_one_plan_per_project_and_year(project):
    refused(lambda: AnnualPlan.objects.create(project=project, year=2024,
                                              planned_investment=Decimal("1.00")))


def test_money_cannot_be_negative(project, park, industries):
    refused(lambda: ProgressReport.objects.create(
        project=project, year=2024, month=2, completed_investment=Decimal("-0.01")))
    refused(lambda: Project.objects.filter(pk=project.pk).update(
        total_investment=Decimal("-1")))
    refused(lambda: Enterprise.objects.create(
        park=park, name="负资本企业", credit_code="91350100M000100Y43",
        registered_capital=Decimal("-5")))


def test_industrial_investment_within_planned(project):
    refused(lambda: AnnualPlan.objects.create(
        project=project, year=2025, planned_investment=Decimal("100.00"),
        industrial_investment=Decimal("100.01")))
    AnnualPlan.objects.create(project=project, year=2025, planned_investment=Decimal("100.00"),
                              industrial_investment=Decimal("100.00"))


def test_park_target_industrial_within_annual(park):
    refused(lambda: ParkAnnualTarget.objects.create(
        park=park, year=2024, annual_investment=Decimal("10"),
        industrial_investment=Decimal("11")))


def test_month_between_1_and_12(project):
    refused(lambda: ProgressReport.objects.create(project=project, year=2024, month=13))
    refused(lambda: ProgressReport.objects.create(project=project, year=2024, month=0))


def test_returned_report_needs_a_reason(project):
    refused(lambda: ProgressReport.objects.create(project=project, year=2024, month=3,
                                                  status=ReportStatus.RETURNED))


def test_credit_code_unique_within_park(park):
    Enterprise.objects.create(park=park, name="甲", credit_code="91350100M000100Y43")
    refused(lambda: Enterprise.objects.create(park=park, name="乙",
                                              credit_code="91350100M000100Y43"))


def test_enterprise_requires_name_and_code(park):
    refused(lambda: Enterprise.objects.create(park=park, name="", credit_code="91350100M000100Y43"))
    refused(lambda: Enterprise.objects.create(park=park, name="无代码", credit_code=""))


def test_preliminary_done_goes_with_its_date(project):
    refused(lambda: Project.objects.filter(pk=project.pk).update(preliminary_done=True))
    refused(lambda: Project.objects.filter(pk=project.pk).update(
        preliminary_done_on=date(2024, 1, 1)))
    Project.objects.filter(pk=project.pk).update(preliminary_done=True,
                                                 preliminary_done_on=date(2024, 1, 1))


def test_full_clean_reports_constraints_in_chinese(project):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    plan = AnnualPlan(project=project, year=2024, planned_investment=Decimal("1"))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        plan.full_clean()
    assert "年度计划" in str(info.value) and "已经存在" in str(info.value)
