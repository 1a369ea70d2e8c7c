"""Reads for the project pages, the monthly progress form and the home page.

Figures that count (SPEC §3): ProgressReport rows with status submitted or approved. Drafts
and returned reports are shown to their authors but never enter a roll-up.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    DecimalField,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from parkportal import money
from parkportal.fields import ZERO
from parkportal.listing import (
    GroupConcat,
    Lookups,
    add_industries,
    industry_choices,
    user_display_name,
)
from parkportal.money import CENT
from parkportal.periods import Month, months_from, previous_month, quarter_of, report_due_on
from parkportal.permissions import park_of, scope_to_park
from parkportal.roles import STAFF
from projects.models import (
    COUNTED_STATUSES,
    UNDER_CONSTRUCTION,
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ReportStatus,
)
from projects.models import counted_q as counted  # the rule lives beside the model

EDITABLE_BY_STAFF = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# Projects that still report monthly progress.
REPORTING_STAGES = (ProjectStage.PRELIMINARY, *UNDER_CONSTRUCTION)
MONEY = DecimalField(max_digits=16, decimal_places=2)


def this_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


def visible_projects(user):
    """Projects of the user's park (every park for an admin without one)."""
    return scope_to_park(Project.objects.all(), user)


def default_year(user) -> int:
    """The year list pages show figures for when none is chosen: the latest planned year."""
    latest = (AnnualPlan.objects.filter(AnnualPlan.published_q(),
                                        project__in=visible_projects(user))
              .order_by("-year").values_list("year", flat=True).first())
    return latest or timezone.localdate().year


def project_list(user, *, year: int):
    """Projects with the year's plan and the year's counted completed investment."""
    plan = AnnualPlan.objects.filter(AnnualPlan.published_q(), project=OuterRef("pk"), year=year)
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
            self.add("year", AnnualPlan.objects.filter(AnnualPlan.published_q(),
                                                       project__in=visible_projects(user)),
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
    "usual_month": Decimal | None} with the yardstick(s) it exceeds (`unusual_against`).
    Two queries."""
    if not amount or amount <= 0:
        return None
    plan = AnnualPlan.objects.filter(project=project, year=year).first()
    history = list(ProgressReport.objects.filter(
        counted(), project=project, completed_investment__gt=0)
        .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
        .order_by("-year", "-month").values_list("completed_investment", flat=True)[:12])
    return unusual_against(amount, month=month, plan=plan, history=history)


def unusual_against(amount, *, month: int, plan, history: list) -> dict | None:
    """The rule of `unusual_amount` on data already read: `plan` the year's AnnualPlan (or
    None), `history` the project's last counted non-zero months before this one (up to 12).

    The planned month is the quarter's plan ÷ 3 when the annual plan is split by quarter
    (and the quarter has a plan), else the year's plan ÷ 12. The usual month is the average
    of the history."""
    if not amount or amount <= 0:
        return None
    found = {"planned_month": None, "usual_month": None}
    if plan is not None and plan.planned_investment > 0:
        quarter_planned = getattr(plan, AnnualPlan.QUARTER_FIELDS[quarter_of(month) - 1])
        planned, months = ((quarter_planned, 3) if quarter_planned > 0
                           else (plan.planned_investment, 12))
        if amount * months > UNUSUAL_FACTOR * planned:  # exact: no rounded month in between
            found["planned_month"] = (planned / months).quantize(CENT)
    if len(history) >= UNUSUAL_MIN_HISTORY:
        if amount * len(history) > UNUSUAL_FACTOR * sum(history):
            found["usual_month"] = (sum(history) / len(history)).quantize(CENT)
    return found if any(value is not None for value in found.values()) else None


def recent_counted_months(park, *, year: int, month: int) -> dict[int, list]:
    """{project id: its last counted non-zero completed amounts before year-month, newest
    first, up to 12} for every project of `park` in one query (the history
    `unusual_against` reads)."""
    ranked = (ProgressReport.objects
              .filter(counted(), project__park=park, completed_investment__gt=0)
              .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
              .annotate(rank=Window(RowNumber(), partition_by=[F("project_id")],
                                    order_by=[F("year").desc(), F("month").desc()]))
              .filter(rank__lte=12)
              .order_by("project_id", "-year", "-month")
              .values_list("project_id", "completed_investment"))
    history = defaultdict(list)
    for project_id, amount in ranked:
        history[project_id].append(amount)
    return history


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
    plan = project.annual_plans.filter(AnnualPlan.published_q(), year=year).first()
    reports = {r.month: r for r in project.progress_reports.filter(year=year)
               .select_related("submitted_by", "reviewed_by")}
    rows, running = [], ZERO
    for month in range(1, 13):
        report = reports.get(month)
        is_counted = report is not None and report.status in COUNTED_STATUSES
        if is_counted:
            running += report.completed_investment
        rate = money.ratio(running, plan.planned_investment) if plan else None
        rows.append(MonthRow(month=month, report=report,
                             completed=report.completed_investment if report else None,
                             cumulative=running, rate=rate,
                             time_progress=money.ratio(month, 12),
                             period=f"{year}-{month:02d}",
                             is_future=(year, month) > this_month()))
    return plan, rows


def project_summary(project, *, year: int) -> dict:
    plan = project.annual_plans.filter(AnnualPlan.published_q(), year=year).first()
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
        "rate": money.ratio(ytd["total"], plan.planned_investment) if plan else None,
        "overall_rate": money.ratio(cumulative, project.total_investment),
    }


def report_timeline(project):
    return (project.progress_reports.select_related("submitted_by", "reviewed_by", "created_by")
            .order_by("-year", "-month"))


# --- the reporting calendar: which months a project owes a report for ---------------------


def with_reporting_start(projects):
    """Annotate what `reporting_start` needs: the project's first report (year * 100 + month)
    and its first planned year."""
    first_report = (ProgressReport.objects.filter(project=OuterRef("pk")).order_by()
                    .values("project").annotate(first=Min(F("year") * 100 + F("month")))
                    .values("first"))
    first_plan = (AnnualPlan.objects.filter(project=OuterRef("pk")).order_by()
                  .values("project").annotate(first=Min("year")).values("first"))
    return projects.annotate(first_report=Subquery(first_report),
                             first_plan_year=Subquery(first_plan))


def reporting_start(project) -> Month:
    """The first month a project owes a report for: its first report's month (months before
    the park began reporting in parkportal are not asked for); for a project with no report
    yet, the earlier of its actual start and January of its first planned year; else the
    month it was entered. `project` comes from `with_reporting_start`."""
    if project.first_report:
        return divmod(project.first_report, 100)
    candidates = []
    if project.actual_start:
        candidates.append((project.actual_start.year, project.actual_start.month))
    if project.first_plan_year:
        candidates.append((project.first_plan_year, 1))
    if not candidates:
        entered = timezone.localtime(project.created_at).date()
        candidates.append((entered.year, entered.month))
    return min(candidates)


def reporting_projects():
    """Projects that still report monthly progress (their stage), with their reporting start."""
    return with_reporting_start(Project.objects.filter(stage__in=REPORTING_STAGES))


@dataclass
class OwedMonth:
    """A month a project owes a counted report for (none yet, a draft, or returned)."""

    year: int
    month: int
    due_on: date
    report: ProgressReport | None = None

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def key(self) -> Month:
        return (self.year, self.month)

    def is_late(self, today: date) -> bool:
        return today > self.due_on


@dataclass
class ProjectBacklog:
    """What one project still owes: returned reports (with the reason), drafts, and the
    ended months with no report at all (oldest first)."""

    project: Project
    returned: list[OwedMonth] = field(default_factory=list)
    drafts: list[OwedMonth] = field(default_factory=list)
    missing: list[OwedMonth] = field(default_factory=list)

    @property
    def owed(self) -> list[OwedMonth]:
        return [*self.returned, *self.drafts, *self.missing]

    @property
    def is_empty(self) -> bool:
        return not self.owed


def report_backlogs(projects, *, today: date | None = None) -> list[ProjectBacklog]:
    """Per project (a queryset from `reporting_projects`), the months that have no counted
    report (`counted()`): returned ones, drafts, and every ended month since the project's
    reporting start that has no report at all. The current month is owed only once it has
    ended. Two queries."""
    today = today or timezone.localdate()
    last_ended = previous_month(today.year, today.month)
    projects = list(projects.select_related("park").order_by("code"))
    reports = defaultdict(dict)
    for report in (ProgressReport.objects.filter(project__in=[p.pk for p in projects])
                   .select_related("reviewed_by").order_by("year", "month")):
        reports[report.project_id][(report.year, report.month)] = report
    backlogs = []
    for project in projects:
        due_day = project.park.report_due_day
        backlog = ProjectBacklog(project=project)
        mine = reports[project.pk]
        for (year, month), report in mine.items():
            if report.status in COUNTED_STATUSES:
                continue
            owed = OwedMonth(year, month, report_due_on(year, month, due_day), report)
            if report.status == ReportStatus.RETURNED:
                backlog.returned.append(owed)
            else:
                backlog.drafts.append(owed)
        for year, month in months_from(reporting_start(project), last_ended):
            if (year, month) not in mine:
                backlog.missing.append(
                    OwedMonth(year, month, report_due_on(year, month, due_day)))
        backlogs.append(backlog)
    return backlogs


def backlog_for(user, *, today: date | None = None) -> list[ProjectBacklog]:
    """The report backlog of the projects `user` is responsible for."""
    return report_backlogs(reporting_projects().filter(responsible=user), today=today)


REPORTED_ON_TIME, REPORTED_LATE, RETURNED, DRAFT, MISSING = (
    "on_time", "late", "returned", "draft", "missing")


@dataclass
class ReportingRow:
    project: Project
    report: ProgressReport | None
    state: str
    responsible: list = field(default_factory=list)


@dataclass
class ReportingStatus:
    """报送情况 of a park for one month."""

    year: int
    month: int
    due_on: date | None
    rows: list[ReportingRow]
    counts: dict
    people: list[dict]
    submitted: list[ProgressReport]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return self.counts[REPORTED_ON_TIME] + self.counts[REPORTED_LATE]

    @property
    def rate(self) -> Decimal | None:
        """报送率: reports that count ÷ projects expected to report."""
        return Decimal(self.reported) / Decimal(self.expected) if self.expected else None


def reporting_state(report: ProgressReport | None, due_on: date | None) -> str:
    """A month's report as 报送情况 sees it: a counted report (`COUNTED_STATUSES`) is on time
    if submitted by the due date, else late; returned; a draft; or missing."""
    if report is None:
        return MISSING
    if report.status in COUNTED_STATUSES:
        submitted = (timezone.localtime(report.submitted_at).date()
                     if report.submitted_at else None)
        if submitted is not None and due_on is not None and submitted > due_on:
            return REPORTED_LATE
        return REPORTED_ON_TIME
    return RETURNED if report.status == ReportStatus.RETURNED else DRAFT


def reporting_status(user, *, year: int, month: int) -> ReportingStatus:
    """For the user's park and one month: each project expected to report (still reporting,
    reporting start on or before the month), its report and state, the counts per state and
    per responsible person, and the submitted reports (for approve-all)."""
    park = park_of(user)
    projects = [p for p in scope_to_park(reporting_projects(), user)
                .select_related("park").prefetch_related("responsible").order_by("code")
                if reporting_start(p) <= (year, month)]
    reports = {r.project_id: r for r in ProgressReport.objects.filter(
        project__in=[p.pk for p in projects], year=year, month=month)
        .select_related("submitted_by", "reviewed_by")}
    due_day = park.report_due_day if park is not None else None
    rows, counts = [], dict.fromkeys((REPORTED_ON_TIME, REPORTED_LATE, RETURNED, DRAFT,
                                      MISSING), 0)
    people = {}
    for project in projects:
        due_on = report_due_on(year, month, project.park.report_due_day)
        report = reports.get(project.pk)
        state = reporting_state(report, due_on)
        counts[state] += 1
        responsible = sorted(project.responsible.all(), key=lambda u: u.username)
        rows.append(ReportingRow(project=project, report=report, state=state,
                                 responsible=responsible))
        for person in responsible:
            entry = people.setdefault(person.pk, {"user": person, "expected": 0,
                                                  **dict.fromkeys(counts, 0)})
            entry["expected"] += 1
            entry[state] += 1
    return ReportingStatus(
        year=year, month=month,
        due_on=report_due_on(year, month, due_day) if due_day else None,
        rows=rows, counts=counts,
        people=sorted(people.values(), key=lambda e: e["user"].username),
        submitted=[r for r in reports.values() if r.status == ReportStatus.SUBMITTED])


# --- home page -----------------------------------------------------------------------------


def reports_awaiting_review(user):
    """Submitted reports of the user's park, oldest first."""
    return (scope_to_park(ProgressReport.objects.filter(status=ReportStatus.SUBMITTED), user,
                          "project__park")
            .select_related("project", "submitted_by").order_by("submitted_at", "id"))
