"""Reads for the project pages, the monthly progress form and the home page.

Figures that count (SPEC §3): ProgressReport rows with status submitted or approved. Drafts
and returned reports are shown to their authors but never enter a roll-up.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from parkportal.fields import ZERO
from parkportal.listing import (
    GroupConcat,
    Lookups,
    add_industries,
    industry_choices,
    user_display_name,
)
from parkportal.money import CENT
from parkportal.periods import quarter_of
from parkportal.permissions import park_of, scope_to_park
from parkportal.roles import STAFF
from projects.models import (
    UNDER_CONSTRUCTION,
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ReportStatus,
)

COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
EDITABLE_BY_STAFF = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# Projects that still report monthly progress.
REPORTING_STAGES = (ProjectStage.PRELIMINARY, *UNDER_CONSTRUCTION)
MONEY = DecimalField(max_digits=16, decimal_places=2)


def counted(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": COUNTED_STATUSES})


def this_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


def visible_projects(user):
    """Projects of the user's park (every park for an admin without one)."""
    return scope_to_park(Project.objects.all(), user)


def default_year(user) -> int:
    """The year list pages show figures for when none is chosen: the latest planned year."""
    latest = (AnnualPlan.objects.filter(project__in=visible_projects(user))
              .order_by("-year").values_list("year", flat=True).first())
    return latest or timezone.localdate().year


def project_list(user, *, year: int):
    """Projects with the year's plan and the year's counted completed investment."""
    plan = AnnualPlan.objects.filter(project=OuterRef("pk"), year=year)
    completed = (ProgressReport.objects
                 .filter(counted(), project=OuterRef("pk"), year=year)
                 .order_by().values("project")
                 .annotate(total=Sum("completed_investment")).values("total"))
    return (visible_projects(user)
            .select_related("industry", "owner_enterprise")
            .prefetch_related("responsible")
            .annotate(year_planned=Subquery(plan.values("planned_investment")[:1],
                                            output_field=MONEY),
                      year_completed=Coalesce(Subquery(completed, output_field=MONEY),
                                              Value(ZERO), output_field=MONEY)))


def project_rows(user, *, year: int):
    """The project list page's rows: project_list with the responsible staff's names joined
    into `responsible_names` ("、") by a subquery, so a page is one query (no prefetch)."""
    through = Project.responsible.through
    names = (through.objects.filter(project=OuterRef("pk")).order_by().values("project")
             .annotate(names=GroupConcat(user_display_name("user__"), "、",
                                         ordering=F("user_id")))
             .values("names"))
    return project_list(user, year=year).prefetch_related(None).annotate(
        responsible_names=Subquery(names))


class ProjectListLookups(Lookups):
    """The project list's filter choices (industries, the park's staff) and its default year
    (latest planned year), read together in one query on first use."""

    def __init__(self, user):
        super().__init__()
        staff = get_user_model().objects.filter(groups__name=STAFF)
        park = park_of(user) if user is not None else None
        if park is not None:
            staff = staff.filter(park_member__park=park)
        add_industries(self)
        self.add("staff", staff, key=F("pk"), texts=[F("username"), user_display_name()])
        if user is not None:
            self.add("year", AnnualPlan.objects.filter(project__in=visible_projects(user)),
                     key=Max("year"), aggregate=True)

    def industries(self):
        return industry_choices(self)

    def staff(self) -> list[tuple[int, str]]:
        """(pk, full name or username) of the staff, by username."""
        return [(key, name) for key, _n, _username, name, _t3
                in sorted(self.rows("staff"), key=lambda row: row[2])]

    def default_year(self) -> int:
        """Same answer as default_year(user)."""
        rows = self.rows("year")
        return (rows[0][0] if rows else None) or timezone.localdate().year


def cumulative_completed(project, *, year: int, month: int, counted_only: bool = True) -> Decimal:
    """Σ completed investment of the project up to and including `year`-`month`, all years."""
    qs = project.progress_reports.filter(Q(year__lt=year) | Q(year=year, month__lte=month))
    if counted_only:
        qs = qs.filter(counted())
    return qs.aggregate(total=Coalesce(Sum("completed_investment"), Value(ZERO),
                                       output_field=MONEY))["total"]


def completed_in_other_months(project, *, year: int, month: int) -> Decimal:
    """Σ completed investment of every other report of the project (any status except
    returned): the sanity check against the total investment."""
    qs = (project.progress_reports.exclude(year=year, month=month)
          .exclude(status=ReportStatus.RETURNED))
    return qs.aggregate(total=Coalesce(Sum("completed_investment"), Value(ZERO),
                                       output_field=MONEY))["total"]


# An amount "far above" the plan or the history: more than this many times the project's
# planned month, or its average month over its last counted reports (at least
# UNUSUAL_MIN_HISTORY of them, the last 12 months with an amount).
UNUSUAL_FACTOR = Decimal(3)
UNUSUAL_MIN_HISTORY = 3


def unusual_amount(project, *, year: int, month: int, amount) -> dict | None:
    """Whether `amount` (this month's completed investment, 万元) is far above the project's
    plan or its history; None when it is not, else {"planned_month": Decimal | None,
    "usual_month": Decimal | None} with the yardstick(s) it exceeds.

    The planned month is the quarter's plan ÷ 3 when the annual plan is split by quarter
    (and the quarter has a plan), else the year's plan ÷ 12. The usual month is the average
    of the project's last counted non-zero months before this one. Two queries."""
    if not amount or amount <= 0:
        return None
    found = {"planned_month": None, "usual_month": None}
    plan = AnnualPlan.objects.filter(project=project, year=year).first()
    if plan is not None and plan.planned_investment > 0:
        quarter_planned = getattr(plan, AnnualPlan.QUARTER_FIELDS[quarter_of(month) - 1])
        planned, months = ((quarter_planned, 3) if quarter_planned > 0
                           else (plan.planned_investment, 12))
        if amount * months > UNUSUAL_FACTOR * planned:  # exact: no rounded month in between
            found["planned_month"] = (planned / months).quantize(CENT)
    history = list(ProgressReport.objects.filter(
        counted(), project=project, completed_investment__gt=0)
        .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
        .order_by("-year", "-month").values_list("completed_investment", flat=True)[:12])
    if len(history) >= UNUSUAL_MIN_HISTORY:
        if amount * len(history) > UNUSUAL_FACTOR * sum(history):
            found["usual_month"] = (sum(history) / len(history)).quantize(CENT)
    return found if any(value is not None for value in found.values()) else None


def previous_report(project, *, year: int, month: int):
    return (project.progress_reports
            .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
            .order_by("-year", "-month").first())


@dataclass
class MonthRow:
    month: int
    report: ProgressReport | None
    completed: Decimal | None
    cumulative: Decimal
    rate: Decimal | None
    time_progress: Decimal
    period: str
    is_future: bool


def year_by_month(project, *, year: int):
    """Plan vs completed by month for one year: one row per month (counted reports only in
    the cumulative and the rate; drafts are listed with their status)."""
    plan = project.annual_plans.filter(year=year).first()
    reports = {r.month: r for r in project.progress_reports.filter(year=year)
               .select_related("submitted_by", "reviewed_by")}
    rows, running = [], ZERO
    for month in range(1, 13):
        report = reports.get(month)
        is_counted = report is not None and report.status in COUNTED_STATUSES
        if is_counted:
            running += report.completed_investment
        rate = (running / plan.planned_investment
                if plan and plan.planned_investment else None)
        rows.append(MonthRow(month=month, report=report,
                             completed=report.completed_investment if report else None,
                             cumulative=running, rate=rate,
                             time_progress=Decimal(month) / Decimal(12),
                             period=f"{year}-{month:02d}",
                             is_future=(year, month) > this_month()))
    return plan, rows


def project_summary(project, *, year: int) -> dict:
    plan = project.annual_plans.filter(year=year).first()
    ytd = project.progress_reports.filter(counted(), year=year).aggregate(
        total=Coalesce(Sum("completed_investment"), Value(ZERO), output_field=MONEY),
        fixed=Coalesce(Sum("fixed_asset_investment"), Value(ZERO), output_field=MONEY))
    cumulative = project.progress_reports.filter(counted()).aggregate(
        total=Coalesce(Sum("completed_investment"), Value(ZERO), output_field=MONEY))["total"]
    return {
        "plan": plan,
        "completed_ytd": ytd["total"],
        "fixed_asset_ytd": ytd["fixed"],
        "cumulative": cumulative,
        "rate": (ytd["total"] / plan.planned_investment
                 if plan and plan.planned_investment else None),
        "overall_rate": (cumulative / project.total_investment
                         if project.total_investment else None),
    }


def report_timeline(project):
    return (project.progress_reports.select_related("submitted_by", "reviewed_by", "created_by")
            .order_by("-year", "-month"))


# --- home page -----------------------------------------------------------------------------


def projects_missing_report(user, *, year: int, month: int):
    """Projects `user` is responsible for that still report and have no submitted or
    approved report for the month (drafts and returned ones are still to do)."""
    done = ProgressReport.objects.filter(counted(), project=OuterRef("pk"), year=year,
                                         month=month)
    return (Project.objects.filter(responsible=user, stage__in=REPORTING_STAGES)
            .annotate(done=Exists(done)).filter(done=False)
            .prefetch_related(Prefetch("progress_reports",
                                       queryset=ProgressReport.objects.filter(year=year,
                                                                              month=month),
                                       to_attr="month_reports"))
            .order_by("code"))


def reports_awaiting_review(user):
    """Submitted reports of the user's park, oldest first."""
    return (scope_to_park(ProgressReport.objects.filter(status=ReportStatus.SUBMITTED), user,
                          "project__park")
            .select_related("project", "submitted_by").order_by("submitted_at", "id"))
