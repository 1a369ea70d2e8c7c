"""The objects every permission case may refer to: one park, five personas and their data."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from enterprises.models import Demand, Enterprise, Relation, Visit
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage, ReportStatus


@dataclass
class World:
    park: object
    users: dict  # persona -> User (no entry for the anonymous persona)
    project: Project  # staff_responsible is responsible for it
    report: ProgressReport  # submitted, 2024-03, waiting for review
    open_period: str  # a month of `project` with no report yet
    enterprise: Enterprise  # assigned to staff_responsible
    demand: Demand


def build_world(park, industries, users) -> World:
    from tests.permissions.matrix import STAFF_RESP

    staff = users[STAFF_RESP]
    project = Project.objects.create(
        park=park, code="PM-001", name="权限矩阵项目", industry=industries["biomedicine"],
        total_investment=Decimal("5000.00"), stage=ProjectStage.NEW_START,
        actual_start=date(2024, 1, 5))
    project.responsible.add(staff)
    AnnualPlan.objects.create(project=project, year=2024, planned_investment=Decimal("2000"))
    report = ProgressReport.objects.create(
        project=project, year=2024, month=3, completed_investment=Decimal("300"),
        status=ReportStatus.SUBMITTED, submitted_by=staff, submitted_at=timezone.now(),
        created_by=staff)
    enterprise = Enterprise.objects.create(
        park=park, name="矩阵测试企业", credit_code="91610728MA6YQ3W27J",
        relation=Relation.RESIDENT, contact_phone="13900000000")
    enterprise.responsible.add(staff)
    visit = Visit.objects.create(enterprise=enterprise, staff=staff, visited_on=date(2024, 3, 1))
    demand = Demand.objects.create(enterprise=enterprise, visit=visit, description="用工需求",
                                   created_by=staff, assignee=staff)
    return World(park=park, users=users, project=project, report=report,
                 open_period="2024-05", enterprise=enterprise, demand=demand)
