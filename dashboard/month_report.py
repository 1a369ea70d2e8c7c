"""A park's month report (issue 16) in the 重点项目进度表 layout: every project planned for
the year, its month and its year so far, with totals.

Figures come from the same sources as the dashboard roll-up (annual plans, and the counted
reports through the per-project-year summary `ProjectYearProgress`), so the totals equal
`park_rollup` for the quarter the month falls in: projects planned, total investment, annual
planned, the month's completed and the cumulative (its `monthly` row for the month)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef

from dashboard.selectors import COUNTED_STATUSES
from parkportal.money import ZERO, as_money, ratio
from parks.models import Park
from projects.models import AnnualPlan, ProgressReport, ProjectYearProgress


@dataclass
class MonthRow:
    project: object
    planned: Decimal
    completed_in_month: Decimal
    completed_ytd: Decimal
    completion_rate: Decimal | None
    image_progress: str = ""
    problems: str = ""


@dataclass
class MonthReport:
    park: Park
    year: int
    month: int
    rows: list = field(default_factory=list)
    total_investment: Decimal = ZERO
    planned: Decimal = ZERO
    completed_in_month: Decimal = ZERO
    completed_ytd: Decimal = ZERO

    @property
    def completion_rate(self):
        return ratio(self.completed_ytd, self.planned)

    @property
    def time_progress(self) -> Decimal:
        return Decimal(self.month) / Decimal(12)


def _latest_texts(park: Park, year: int, month: int) -> dict:
    """Physical progress, problems and coordination of each project's latest counted report
    up to the month (one query)."""
    counted = ProgressReport.objects.filter(project__park=park, year=year, month__lte=month,
                                            status__in=COUNTED_STATUSES)
    fields = ("project_id", "month", "image_progress", "problems", "coordination_needed")
    if connection.features.can_distinct_on_fields:
        rows = counted.order_by("project_id", "-month").distinct("project_id").values(*fields)
    else:
        later = counted.filter(project=OuterRef("project"), month__gt=OuterRef("month"))
        rows = counted.filter(~Exists(later)).values(*fields)
    return {row["project_id"]: row for row in rows}


def month_report(*, park: Park, year: int, month: int) -> MonthReport:
    """Every project with an annual plan for `year` (major first, then by code): planned,
    completed in `month`, completed in months 1 .. `month` (counted reports only), the rate
    against the plan, and the latest physical progress and problems. Three queries."""
    plans = list(AnnualPlan.objects.filter(project__park=park, year=year)
                 .select_related("project", "project__industry")
                 .prefetch_related("project__responsible"))
    months = [f"completed_m{m}" for m in range(1, month + 1)]
    progress = {row[0]: row[1:] for row in ProjectYearProgress.objects.filter(
        project__park=park, year=year).values_list("project_id", *months)}
    texts = _latest_texts(park, year, month)
    report = MonthReport(park=park, year=year, month=month)
    for plan in plans:
        project = plan.project
        amounts = progress.get(project.pk, ())
        ytd = as_money(sum(amounts, ZERO))
        in_month = as_money(amounts[-1] if amounts else ZERO)
        text = texts.get(project.pk, {})
        report.rows.append(MonthRow(
            project=project, planned=plan.planned_investment, completed_in_month=in_month,
            completed_ytd=ytd, completion_rate=ratio(ytd, plan.planned_investment),
            image_progress=text.get("image_progress", ""),
            problems="；".join(x for x in (text.get("problems"),
                                          text.get("coordination_needed")) if x)))
        report.total_investment += project.total_investment
        report.planned += plan.planned_investment
        report.completed_in_month += in_month
        report.completed_ytd += ytd
    report.rows.sort(key=lambda r: (not r.project.is_major, r.project.code))
    return report
