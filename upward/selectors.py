"""The figures of the upward reports (上报): month by month, plan against completed, for a list
of parks.

The same sources as the dashboard roll-up: confirmed annual plans, and the counted reports
through the per-project-year summary kept by triggers (`ProjectYearProgress`). A project
without a plan for the year that still completed investment in it is listed too (plan 0), so
the totals for months 1 .. 3Q equal `park_rollup`'s annual_planned and completed_ytd.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef

from parkportal.money import ZERO, as_money, ratio
from parks.models import Park
from projects.models import AnnualPlan, ProgressReport, Project, ProjectYearProgress, counted_q

QUARTER_FIELDS = AnnualPlan.QUARTER_FIELDS


def planned_to_month(plan: AnnualPlan | None, month: int) -> Decimal:
    """1—N月计划: the plan for months 1 .. `month`. With quarter plans (they add up to the
    year's plan, a database constraint): the quarters before `month`'s quarter, and its own
    quarter's plan × the months of it elapsed ÷ 3. Without: the year's plan × month ÷ 12 (the
    dashboard's plan line)."""
    if plan is None:
        return ZERO
    quarters = [getattr(plan, name) for name in QUARTER_FIELDS]
    if not any(quarters):
        return as_money(plan.planned_investment * month / 12)
    whole, part = divmod(month, 3)
    return as_money(sum(quarters[:whole], ZERO)
                    + (quarters[whole] * part / 3 if part else ZERO))


class _Completion:
    """Completed investment of months 1 .. N and its share of the year's plan, for a project's
    line and for a total alike."""

    @property
    def completed(self) -> Decimal:
        return as_money(sum(self.months, ZERO))

    @property
    def completion_rate(self) -> Decimal | None:
        return ratio(self.completed, self.planned)


@dataclass
class ProjectLine(_Completion):
    project: Project
    plan: AnnualPlan | None
    planned: Decimal  # the year's plan
    planned_to_month: Decimal
    months: list[Decimal]  # completed in months 1 .. N
    image_progress: str = ""


@dataclass
class Totals(_Completion):
    projects: int = 0
    total_investment: Decimal = ZERO
    planned: Decimal = ZERO
    planned_to_month: Decimal = ZERO
    months: list[Decimal] = field(default_factory=list)

    def add(self, line: ProjectLine):
        self.projects += 1
        self.total_investment += line.project.total_investment
        self.planned += line.planned
        self.planned_to_month += line.planned_to_month
        if not self.months:
            self.months = [ZERO] * len(line.months)
        self.months = [a + b for a, b in zip(self.months, line.months, strict=True)]


@dataclass
class ParkBlock:
    park: Park
    lines: list[ProjectLine] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


@dataclass
class PlanVsCompleted:
    year: int
    month: int
    blocks: list[ParkBlock]
    totals: Totals

    @property
    def time_progress(self) -> Decimal:
        return ratio(Decimal(self.month), Decimal(12))


def _latest_image_progress(park_ids, year: int, month: int) -> dict[int, str]:
    """Each project's physical progress from its latest counted report up to `month`."""
    reports = ProgressReport.objects.filter(counted_q(), project__park__in=park_ids,
                                            year=year, month__lte=month)
    if connection.features.can_distinct_on_fields:
        rows = reports.order_by("project_id", "-month").distinct("project_id")
    else:
        later = reports.filter(project=OuterRef("project"), month__gt=OuterRef("month"))
        rows = reports.filter(~Exists(later))
    return dict(rows.values_list("project_id", "image_progress"))


def plan_vs_completed(*, parks, year: int, month: int) -> PlanVsCompleted:
    """Months 1 .. `month` of `year` for every park in `parks` (in the order given): per
    project the year's plan, the plan to the month, the completed investment of each month and
    their sum; per park and overall the totals. Four queries, whatever the number of parks."""
    parks = list(parks)
    park_ids = [park.pk for park in parks]
    plans = {plan.project_id: plan for plan in AnnualPlan.objects.filter(
        AnnualPlan.published_q(), project__park__in=park_ids, year=year)}
    names = [f"completed_m{m}" for m in range(1, month + 1)]
    progress = {row[0]: [as_money(v) for v in row[1:]] for row in
                ProjectYearProgress.objects.filter(project__park__in=park_ids, year=year)
                .values_list("project_id", *names)}
    ids = set(plans) | {pk for pk, months in progress.items() if any(months)}
    projects = (Project.objects.filter(pk__in=ids).select_related("industry")
                .order_by("-is_major", "code"))
    texts = _latest_image_progress(park_ids, year, month)
    blocks = {park.pk: ParkBlock(park=park) for park in parks}
    totals = Totals(months=[ZERO] * month)
    for project in projects:
        plan = plans.get(project.pk)
        line = ProjectLine(
            project=project, plan=plan, planned=plan.planned_investment if plan else ZERO,
            planned_to_month=planned_to_month(plan, month),
            months=progress.get(project.pk, [ZERO] * month),
            image_progress=texts.get(project.pk, ""))
        block = blocks[project.park_id]
        block.lines.append(line)
        block.totals.add(line)
        totals.add(line)
    for block in blocks.values():
        if not block.totals.months:
            block.totals.months = [ZERO] * month
    return PlanVsCompleted(year=year, month=month, blocks=list(blocks.values()), totals=totals)
