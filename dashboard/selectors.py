"""The figures of SPEC §3: one definition of each, computed in the database.

The dashboard, its JSON, the Excel export, quarter close and `manage.py rollup` all call
`park_rollup`. Amounts are Decimal in 万元; `rollup_as_json` turns them into decimal strings.

Which progress reports count: those submitted or approved. Drafts and reports returned by a
leader are not figures yet.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from enterprises.models import SERVED_RELATIONS, Enterprise
from parks.models import Park, ParkAnnualTarget
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage, ReportStatus
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction

COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Period:
    """Year Y up to the end of quarter Q: months 1 .. 3Q."""

    year: int
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1, 2, 3 or 4")

    @property
    def last_month(self) -> int:
        return 3 * self.quarter

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def quarter_start(self) -> date:
        return date(self.year, self.last_month - 2, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month,
                    calendar.monthrange(self.year, self.last_month)[1])

    @property
    def time_progress(self) -> Decimal:
        """时序进度: months elapsed ÷ 12."""
        return (Decimal(self.last_month) / Decimal(12)).quantize(RATE_PLACES)


def money_sum(field: str, **filter_kwargs):
    """Sum of a money field as Decimal, 0 when there is nothing to sum."""
    aggregate = Sum(field, filter=Q(**filter_kwargs)) if filter_kwargs else Sum(field)
    return Coalesce(aggregate, Value(ZERO))


def as_money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)


def planned_projects(park: Park, year: int):
    """Projects with an annual plan for the year (SPEC §3 "projects planned")."""
    return Project.objects.filter(park=park, annual_plans__year=year)


def counted_reports(park: Park, period: Period):
    """Progress reports that count, for months 1 .. 3Q of the year."""
    return ProgressReport.objects.filter(
        project__park=park, year=period.year, month__lte=period.last_month,
        status__in=COUNTED_STATUSES)


def project_figures(park: Park, period: Period) -> dict:
    """Counts and sums over the year's planned projects, in one query."""
    started_in_quarter = Q(actual_start__gte=period.quarter_start, actual_start__lte=period.end)
    started_before_year = Q(actual_start__lt=period.year_start)
    not_finished = Q(actual_completion__isnull=True) | Q(actual_completion__gt=period.end)
    row = planned_projects(park, period.year).aggregate(
        count=Count("id"),
        total=money_sum("total_investment"),
        major_preliminary_count=Count("id", filter=Q(is_major=True,
                                                     stage=ProjectStage.PRELIMINARY)),
        major_preliminary_investment=money_sum("total_investment", is_major=True,
                                               stage=ProjectStage.PRELIMINARY),
        preliminary_done=Count("id", filter=Q(preliminary_done=True,
                                              preliminary_done_on__gte=period.year_start,
                                              preliminary_done_on__lte=period.end)),
        new_starts=Count("id", filter=started_in_quarter),
        continuing=Count("id", filter=started_before_year & not_finished),
    )
    return row


def plan_figures(park: Park, year: int) -> dict:
    return AnnualPlan.objects.filter(project__park=park, year=year).aggregate(
        annual_planned=money_sum("planned_investment"),
        industrial_planned=money_sum("industrial_investment"),
    )


def progress_figures(park: Park, period: Period) -> dict:
    return counted_reports(park, period).aggregate(
        completed_ytd=money_sum("completed_investment"),
        completed_in_quarter=money_sum("completed_investment",
                                       month__gt=period.last_month - 3),
        fixed_asset_investment=money_sum("fixed_asset_investment"),
        industrial_completed=money_sum("completed_investment", project__is_industrial=True),
    )


def served_enterprises(park: Park, on: date):
    """Resident and managed enterprises on a date (SPEC §3 "enterprises served")."""
    return Enterprise.objects.filter(
        Q(settled_on__isnull=True) | Q(settled_on__lte=on),
        Q(left_on__isnull=True) | Q(left_on__gt=on),
        park=park, relation__in=SERVED_RELATIONS,
    )


def enterprise_figures(park: Park, period: Period) -> dict:
    served = Q(relation__in=SERVED_RELATIONS) & (
        Q(settled_on__isnull=True) | Q(settled_on__lte=period.end)) & (
        Q(left_on__isnull=True) | Q(left_on__gt=period.end))
    return Enterprise.objects.filter(park=park).aggregate(
        introduced=Count("id", filter=Q(introduced_year=period.year)),
        served=Count("id", filter=served),
    )


def talent_figures(park: Park, period: Period) -> dict:
    return TalentIntroduction.objects.filter(
        park=park, introduced_on__gte=period.year_start, introduced_on__lte=period.end,
    ).aggregate(total=Count("id"),
                phd=Count("id", filter=Q(degree=TalentIntroduction.Degree.PHD)))


def partner_count(park: Park, period: Period) -> int:
    return PartnerOrganization.objects.filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=period.end), park=park).count()


def innovation_center_count(park: Park, period: Period) -> int:
    return InnovationCenter.objects.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=period.end), park=park).count()


def park_targets(park: Park, year: int) -> dict | None:
    target = ParkAnnualTarget.objects.filter(park=park, year=year).first()
    if target is None:
        return None
    return {
        "projects_planned": target.projects_planned,
        "total_investment": as_money(target.total_investment),
        "annual_investment": as_money(target.annual_investment),
        "industrial_investment": as_money(target.industrial_investment),
        "major_preliminary_projects": target.major_preliminary_projects,
        "major_preliminary_investment": as_money(target.major_preliminary_investment),
        "enterprises_to_introduce": target.enterprises_to_introduce,
        "talents_to_introduce": target.talents_to_introduce,
        "source": target.source,
    }


def park_rollup(*, park: Park, year: int, quarter: int) -> dict:
    """Every figure of SPEC §3 for a park, year Y and quarter Q (months 1 .. 3Q).

    - projects_planned: projects with an AnnualPlan for Y;
    - total_investment: Σ their total investment;
    - annual_planned / industrial_planned: Σ AnnualPlan planned / industrial for Y;
    - completed_ytd: Σ counted reports' completed investment, months 1 .. 3Q of Y;
    - completion_rate: completed_ytd ÷ annual_planned (a ratio, 4 places; null if no plan);
    - time_progress: 3Q ÷ 12;
    - major_preliminary: major projects still in the preliminary stage, count and Σ total;
    - preliminary_done: projects whose preliminary work was completed in Y by the period end;
    - new_starts: projects whose actual start falls in quarter Q;
    - continuing: projects started before Y and not completed by the period end;
    - fixed_asset_investment: Σ counted reports' fixed-asset investment formed, months 1 .. 3Q;
    - enterprises_introduced: enterprises with introduced_year = Y;
    - enterprises_served: resident + managed enterprises at the period end;
    - talents: talent introductions dated in Y up to the period end, and the PhDs among them;
    - partners / innovation_centers: those the park had at the period end;
    - targets: the park's own targets for Y as its report states them (or null).
    """
    period = Period(year, quarter)
    projects = project_figures(park, period)
    plans = plan_figures(park, year)
    progress = progress_figures(park, period)
    enterprises = enterprise_figures(park, period)
    talents = talent_figures(park, period)
    completed = as_money(progress["completed_ytd"])
    annual_planned = as_money(plans["annual_planned"])
    return {
        "park": park.slug,
        "park_name": park.name,
        "year": year,
        "quarter": quarter,
        "period_end": period.end,
        "projects_planned": projects["count"],
        "total_investment": as_money(projects["total"]),
        "annual_planned": annual_planned,
        "industrial_planned": as_money(plans["industrial_planned"]),
        "completed_ytd": completed,
        "completed_in_quarter": as_money(progress["completed_in_quarter"]),
        "industrial_completed_ytd": as_money(progress["industrial_completed"]),
        "completion_rate": ratio(completed, annual_planned),
        "time_progress": period.time_progress,
        "major_preliminary": {
            "count": projects["major_preliminary_count"],
            "total_investment": as_money(projects["major_preliminary_investment"]),
        },
        "preliminary_done": projects["preliminary_done"],
        "new_starts": projects["new_starts"],
        "continuing": projects["continuing"],
        "fixed_asset_investment": as_money(progress["fixed_asset_investment"]),
        "enterprises_introduced": enterprises["introduced"],
        "enterprises_served": enterprises["served"],
        "talents": {"total": talents["total"], "phd": talents["phd"]},
        "partners": partner_count(park, period),
        "innovation_centers": innovation_center_count(park, period),
        "targets": park_targets(park, year),
    }


def to_jsonable(value):
    """Decimals become decimal strings, dates ISO strings; nested dicts and lists follow."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    return value


def rollup_as_json(*, park: Park, year: int, quarter: int) -> dict:
    """`park_rollup` with JSON-safe values: the object `rollup --format json` prints."""
    return to_jsonable(park_rollup(park=park, year=year, quarter=quarter))
