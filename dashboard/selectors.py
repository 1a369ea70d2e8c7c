"""The figures of SPEC §3: one definition of each, computed in the database.

The dashboard, its JSON, the Excel export, quarter close and `manage.py rollup` all call
`park_rollup`. Amounts are Decimal in 万元; `rollup_as_json` turns them into decimal strings.

Which progress reports count: those submitted or approved. Drafts and reports returned by a
leader are not figures yet.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dashboard import figure_registry
from dashboard.models import ProjectYearFact
from enterprises.models import (
    Demand,
    Enterprise,
    Visit,
    coverage_rate,
    open_demand_on_q,
    served_sql,
    visit_window,
    visit_window_sql,
)
from leads.selectors import investment_figures_by_park
from parkportal.id_lists import InIds, in_ids_sql
from parkportal.money import ZERO, as_money, ratio
from parkportal.periods import Period, months_before, quarter_of
from parks.models import Park, ParkAnnualTarget
from projects.models import (
    COUNTED_STATUSES,
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ProjectYearProgress,
)
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction


def money_sum(field: str, **filter_kwargs):
    """Sum of a money field as Decimal, 0 when there is nothing to sum."""
    aggregate = Sum(field, filter=Q(**filter_kwargs)) if filter_kwargs else Sum(field)
    return Coalesce(aggregate, Value(ZERO))


def planned_projects(park: Park, year: int):
    """Projects with a confirmed annual plan for the year (SPEC §3 "projects planned"; a
    rollover's draft plans count only once an admin confirms them)."""
    return Project.objects.filter(AnnualPlan.published_q("annual_plans__"), park=park,
                                  annual_plans__year=year)


def counted_reports(park: Park, period: Period):
    """Progress reports that count, for months 1 .. 3Q of the year."""
    return ProgressReport.objects.filter(
        project__park=park, year=period.year, month__lte=period.last_month,
        status__in=COUNTED_STATUSES)


def _project_aggregates(period: Period, prefix: str = "") -> dict:
    """The aggregates of `project_figures`, over projects reached through `prefix`."""
    def q(**lookups):
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    pk, total = f"{prefix}id", f"{prefix}total_investment"
    started_in_quarter = q(actual_start__gte=period.quarter_start, actual_start__lte=period.end)
    started_before_year = q(actual_start__lt=period.year_start)
    not_finished = q(actual_completion__isnull=True) | q(actual_completion__gt=period.end)
    by_stage = {f"stage_{stage}": Count(pk, filter=q(stage=stage)) for stage in ProjectStage}
    new_starts_by_quarter = {
        f"new_starts_q{n}": Count(pk, filter=q(
            actual_start__gte=Period(period.year, n).quarter_start,
            actual_start__lte=Period(period.year, n).end))
        for n in range(1, period.quarter + 1)
    }
    return dict(
        count=Count(pk),
        total=money_sum(total),
        major_preliminary_count=Count(pk, filter=q(is_major=True,
                                                   stage=ProjectStage.PRELIMINARY)),
        major_preliminary_investment=money_sum(total, **{
            f"{prefix}is_major": True, f"{prefix}stage": ProjectStage.PRELIMINARY}),
        preliminary_done=Count(pk, filter=q(preliminary_done=True,
                                            preliminary_done_on__gte=period.year_start,
                                            preliminary_done_on__lte=period.end)),
        new_starts=Count(pk, filter=started_in_quarter),
        continuing=Count(pk, filter=started_before_year & not_finished),
        major=Count(pk, filter=q(is_major=True)),
        **by_stage,
        **new_starts_by_quarter,
    )


def project_figures(park: Park, period: Period) -> dict:
    """Counts and sums over the year's planned projects, in one query: the SPEC §3 counts,
    projects by (current) stage, and new starts in each quarter of the year so far."""
    return planned_projects(park, period.year).aggregate(**_project_aggregates(period))


PLAN_INDUSTRY_FIELDS = ("project__industry_id", "project__industry__slug",
                        "project__industry__name", "project__industry__sort_order")


def plan_rows(park: Park, year: int) -> list[dict]:
    """Annual plans for the year summed per industry (one grouped query)."""
    return list(
        AnnualPlan.objects.filter(AnnualPlan.published_q(), project__park=park, year=year)
        .values(*PLAN_INDUSTRY_FIELDS)
        .annotate(projects=Count("id"), planned=money_sum("planned_investment"),
                  industrial=money_sum("industrial_investment"))
        .order_by("project__industry__sort_order", "project__industry__name")
    )


def plan_and_project_figures(park_ids: list[int], period: Period, *, by_park: bool = True,
                             by_industry: bool = True, project_aggregates: bool = True
                             ) -> dict:
    """Per park of `park_ids`: `plan_rows` and `project_figures`, from one query grouped by
    park and industry: the per-industry rows carry the project aggregates too (a project has
    at most one plan a year, so the plans of the year are exactly the planned projects),
    added up here per park (exact: counts and Decimal sums). One park is the same query.

    A region asks for the two halves apart: by park only (each park's figures) and by
    industry only (keyed None: the region's tables), fewer rows than park × industry; the
    region's project aggregates are its parks' added up, so the second half leaves them out
    (`project_aggregates=False`: the project figures come back None)."""
    aggregates = _project_aggregates(period, "project__") if project_aggregates else {}
    group = (["project__park_id"] if by_park else []) + (
        list(PLAN_INDUSTRY_FIELDS) if by_industry else [])
    order = (["project__park_id"] if by_park else []) + (
        ["project__industry__sort_order", "project__industry__name"] if by_industry else [])
    rows = (
        AnnualPlan.objects.filter(AnnualPlan.published_q(), InIds("project__park_id", park_ids),
                                  year=period.year)
        .values(*group)
        .annotate(projects=Count("id"), planned=money_sum("planned_investment"),
                  industrial=money_sum("industrial_investment"), **aggregates)
        .order_by(*order)
    )
    by_park_id: dict = {park_id: [] for park_id in park_ids} if by_park else {None: []}
    for row in rows:
        by_park_id[row["project__park_id"] if by_park else None].append(row)
    money = {"total", "major_preliminary_investment"}
    return {park_id: (park_rows, {key: sum((row[key] for row in park_rows),
                                           ZERO if key in money else 0)
                                  for key in aggregates} if project_aggregates else None)
            for park_id, park_rows in by_park_id.items()}


def plan_figures(park: Park, year: int, rows: list[dict] | None = None) -> dict:
    """Σ AnnualPlan planned and industrial for the year (from the per-industry rows)."""
    rows = plan_rows(park, year) if rows is None else rows
    return {
        "annual_planned": sum((row["planned"] for row in rows), ZERO),
        "industrial_planned": sum((row["industrial"] for row in rows), ZERO),
    }


def progress_rows(park: Park, period: Period) -> list[dict]:
    """`progress_rows_by_park` of one park."""
    return progress_rows_by_park([park.pk], period)[park.pk]


def progress_rows_by_park(park_ids: list[int], period: Period) -> dict[int, list[dict]]:
    """Per park: counted reports of months 1 .. 3Q summed per month, industry and industrial
    flag (keys month, project__industry_id, project__is_industrial, completed, fixed_asset)."""
    return {park_id: spread_over_months(groups, period)
            for park_id, groups in progress_groups_by_park(park_ids, period).items()}


def progress_groups_by_park(park_ids: list[int], period: Period, *, by_park: bool = True,
                            group: tuple = ("project__industry_id", "project__is_industrial"),
                            months: bool = True) -> dict:
    """Per park: counted reports summed per industry and industrial flag, one dict per group
    (project__industry_id, project__is_industrial; ytd, in_quarter and fixed_ytd: completed
    in months 1 .. 3Q, completed in the quarter's months, fixed-asset investment formed in
    months 1 .. 3Q; with `months`, c1 .. c3Q and f1 .. f3Q: each month's completed and
    fixed-asset investment).

    Read from the per-project-year summary (`ProjectYearProgress`, kept equal to the counted
    reports by database triggers): one query grouped by park, industry and industrial flag
    over one row per project. A region asks by park and flag without months (each park's
    figures), and by industry and flag with months, not by park (keyed None: its tables)."""
    last = period.last_month

    def total(prefix, first):
        return money_sum_of(*(f"{prefix}_m{m}" for m in range(first, last + 1)))

    sums = {"ytd": total("completed", 1), "in_quarter": total("completed", last - 2),
            "fixed_ytd": total("fixed", 1)}
    if months:
        sums |= {f"c{m}": money_sum(f"completed_m{m}") for m in range(1, last + 1)}
        sums |= {f"f{m}": money_sum(f"fixed_m{m}") for m in range(1, last + 1)}
    fields = (["project__park_id"] if by_park else []) + list(group)
    groups = (ProjectYearProgress.objects.filter(InIds("project__park_id", park_ids),
                                                 year=period.year)
              .values(*fields).annotate(**sums).order_by())
    by_park_id: dict = {park_id: [] for park_id in park_ids} if by_park else {None: []}
    for row in groups:
        by_park_id[row["project__park_id"] if by_park else None].append(row)
    return by_park_id


def region_progress_groups(park_ids: list[int], period: Period
                           ) -> tuple[dict[int, list[dict]], list[dict]]:
    """What a region reads of the progress summary, in one scan on PostgreSQL: per park the
    groups of `progress_groups_by_park(…, group=("project__is_industrial",), months=False)`,
    and the table groups of `progress_groups_by_park(…, by_park=False)[None]` (by industry
    and flag, with months). The two ORM queries elsewhere (SQLite) or without parks.

    PostgreSQL: `GROUP BY GROUPING SETS` over the same rows as the ORM queries (the months
    returned only for the table groups), instead of joining and summing the region's
    summary rows twice; the year-to-date sums are added up from the monthly sums."""
    if connection.vendor != "postgresql" or not park_ids:
        return (progress_groups_by_park(park_ids, period, group=("project__is_industrial",),
                                        months=False),
                progress_groups_by_park(park_ids, period, by_park=False)[None])
    last = period.last_month

    def total(prefix: str, first: int) -> str:
        # Σ of the months' sums, not the sum of each row's months: the same exact numeric,
        # one addition per month and group instead of per month and row (PostgreSQL
        # computes each SUM(column) once for all the expressions naming it).
        terms = " + ".join(f"SUM(s.{prefix}_m{m})" for m in range(first, last + 1))
        return f"COALESCE({terms}, %s)"

    in_table = "GROUPING(p.park_id) = 1"
    months = [f"CASE WHEN {in_table} THEN COALESCE(SUM(s.{prefix}_m{m}), %s) END"
              for prefix in ("completed", "fixed") for m in range(1, last + 1)]
    parks_in, parks_params = in_ids_sql("p.park_id", park_ids, connection.vendor)
    sql = f"""
        SELECT CASE WHEN {in_table} THEN 1 ELSE 0 END, p.park_id, p.industry_id,
               p.is_industrial, {total("completed", 1)}, {total("completed", last - 2)},
               {total("fixed", 1)}, {", ".join(months)}
        FROM {ProjectYearProgress._meta.db_table} s
        JOIN {Project._meta.db_table} p ON p.id = s.project_id
        WHERE {parks_in} AND s.year = %s
        GROUP BY GROUPING SETS ((p.park_id, p.is_industrial), (p.industry_id, p.is_industrial))
    """
    params = [ZERO] * (3 + len(months)) + [*parks_params, period.year]
    by_park: dict = {park_id: [] for park_id in park_ids}
    table: list[dict] = []
    names = [*(f"c{m}" for m in range(1, last + 1)), *(f"f{m}" for m in range(1, last + 1))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            if row[0]:
                table.append({"project__industry_id": row[2], "project__is_industrial": row[3],
                              "ytd": row[4], "in_quarter": row[5], "fixed_ytd": row[6],
                              **dict(zip(names, row[7:], strict=True))})
            else:
                by_park[row[1]].append({"project__park_id": row[1],
                                        "project__is_industrial": row[3], "ytd": row[4],
                                        "in_quarter": row[5], "fixed_ytd": row[6]})
    return by_park, table


def money_sum_of(*fields: str):
    """Σ over rows of (field₁ + field₂ + …), 0 when there is nothing to sum."""
    expression = sum((F(name) for name in fields[1:]), F(fields[0]))
    return Coalesce(Sum(expression, output_field=MONEY_OUTPUT), Value(ZERO),
                    output_field=MONEY_OUTPUT)


PROGRESS_GROUP = ("project__industry_id", "project__is_industrial")


def spread_over_months(groups: list[dict], period: Period) -> list[dict]:
    """Progress groups as rows per month (month, industry, industrial flag, completed,
    fixed_asset): what the monthly, industry and quarter tables read."""
    return [{"month": m, "project__industry_id": group["project__industry_id"],
             "project__is_industrial": group["project__is_industrial"],
             "completed": group[f"c{m}"], "fixed_asset": group[f"f{m}"]}
            for group in groups for m in range(1, period.last_month + 1)]


def completed_by_project(park: Park, *, year: int | None = None,
                         before_year: int | None = None) -> dict[int, Decimal]:
    """Per project of the park, Σ completed investment of the counted reports (SPEC §3, the
    rule every figure uses, read from the same trigger-kept summary as `progress_rows`):
    in `year` (all twelve months), or in every year before `before_year`."""
    rows = ProjectYearProgress.objects.filter(project__park=park)
    rows = rows.filter(year=year) if year is not None else rows.filter(year__lt=before_year)
    months = sum((F(f"completed_m{m}") for m in range(2, 13)), F("completed_m1"))
    return {row["project_id"]: as_money(row["total"]) for row in
            rows.values("project_id").annotate(total=Sum(months, output_field=MONEY_OUTPUT))
            .order_by()}


def progress_figures(groups: list[dict]) -> dict:
    """Completed YTD, in the quarter, industrial completed and fixed-asset investment formed,
    from a park's progress groups."""
    return {
        "completed_ytd": sum((group["ytd"] for group in groups), ZERO),
        "completed_in_quarter": sum((group["in_quarter"] for group in groups), ZERO),
        "fixed_asset_investment": sum((group["fixed_ytd"] for group in groups), ZERO),
        "industrial_completed": sum((group["ytd"] for group in groups
                                     if group["project__is_industrial"]), ZERO),
    }


def monthly_series(period: Period, annual_planned: Decimal, rows: list[dict]) -> list[dict]:
    """Months 1..12: completed in the month and cumulative (null after the period end), and
    the plan line: the annual plan spread evenly over the year (annual planned × m ÷ 12)."""
    by_month: dict[int, dict] = {}
    for row in rows:
        entry = by_month.setdefault(row["month"], {"completed": ZERO, "fixed_asset": ZERO})
        entry["completed"] += row["completed"]
        entry["fixed_asset"] += row["fixed_asset"]
    series, cumulative = [], ZERO
    for month in range(1, 13):
        inside = month <= period.last_month
        entry = by_month.get(month, {"completed": ZERO, "fixed_asset": ZERO})
        if inside:
            cumulative += entry["completed"]
        series.append({
            "month": month,
            "completed": as_money(entry["completed"]) if inside else None,
            "fixed_asset": as_money(entry["fixed_asset"]) if inside else None,
            "cumulative": as_money(cumulative) if inside else None,
            "planned_cumulative": as_money(annual_planned * month / 12),
        })
    return series


def industry_breakdown(plan_by_industry: list[dict], rows: list[dict]) -> list[dict]:
    """Per industry: planned projects, annual planned, completed YTD and the completion rate."""
    completed: dict[int, Decimal] = {}
    for row in rows:
        key = row["project__industry_id"]
        completed[key] = completed.get(key, ZERO) + row["completed"]
    result = []
    for plan in plan_by_industry:
        done = as_money(completed.get(plan["project__industry_id"], ZERO))
        planned = as_money(plan["planned"])
        result.append({
            "industry": plan["project__industry__slug"],
            "name": plan["project__industry__name"],
            "projects": plan["projects"],
            "planned": planned,
            "completed": done,
            "completion_rate": ratio(done, planned),
        })
    return result


def stage_breakdown(projects: dict) -> list[dict]:
    """Planned projects by their current stage (every stage listed, zeros included)."""
    return [{"stage": str(stage.value), "projects": projects[f"stage_{stage}"]}
            for stage in ProjectStage]


def quarter_table(period: Period, annual_planned: Decimal, projects: dict,
                  rows: list[dict]) -> list[dict]:
    """Quarter by quarter up to Q: completed in the quarter, cumulative, completion rate
    against time progress, fixed-asset investment formed and new starts."""
    table, cumulative = [], ZERO
    for q in range(1, period.quarter + 1):
        months = range(3 * q - 2, 3 * q + 1)
        done = sum((r["completed"] for r in rows if r["month"] in months), ZERO)
        fixed = sum((r["fixed_asset"] for r in rows if r["month"] in months), ZERO)
        cumulative += done
        table.append({
            "quarter": q,
            "completed": as_money(done),
            "cumulative": as_money(cumulative),
            "completion_rate": ratio(cumulative, annual_planned),
            "time_progress": Period(period.year, q).time_progress,
            "fixed_asset_investment": as_money(fixed),
            "new_starts": projects[f"new_starts_q{q}"],
        })
    return table


def as_of_date(period: Period, today: date | None = None) -> date:
    """The day figures that depend on "now" are taken at: min(today, period end).

    For a quarter that has ended this is the period end, so those figures never change once
    the quarter is over (a quarter can only be closed after its end; see services)."""
    today = today or timezone.localdate()
    return min(today, period.end)


def enterprise_figures(park: Park, period: Period, as_of: date | None = None) -> dict:
    """`enterprise_figures_by_park` of one park."""
    return enterprise_figures_by_park([park.pk], period, as_of)[park.pk]


def _in_list(column: str, ids: list[int]) -> tuple[str, list]:
    """`column` is one of `ids` (`parkportal.id_lists`: one array parameter on PostgreSQL)."""
    return in_ids_sql(column, ids, connection.vendor)


def enterprise_figures_by_park(park_ids: list[int], period: Period,
                               as_of: date | None = None) -> dict[int, dict]:
    """Per park: introduced and served enterprises, and visit coverage, in one query grouped
    by park.

    Visit coverage: of the enterprises served on `as_of`, those visited in the 7 days up to
    and including `as_of` (the report's rhythm: every served enterprise visited weekly).

    One pass over the parks' enterprises, merged with the window's visited enterprise ids in
    id order (PostgreSQL, one park: two index-only scans, `enterprise_park_covering` and
    `visit_enterprise_date`, and a merge join; no hash of the window's visits).
    """
    as_of = as_of or as_of_date(period)
    enterprise, visit = Enterprise._meta.db_table, Visit._meta.db_table
    # The rules' SQL forms (enterprises.models): served on a day, the visit window.
    served_end, served_end_params = served_sql(period.end, "e.")
    served_now, served_now_params = served_sql(as_of, "e.")
    window, window_params = visit_window_sql(as_of)
    parks_in, parks_params = _in_list("e.park_id", park_ids)
    sql = f"""
        SELECT e.park_id,
               SUM(CASE WHEN e.introduced_year = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN {served_end} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {served_now} THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.enterprise_id IS NOT NULL AND {served_now} THEN 1 ELSE 0 END)
        FROM {enterprise} e
        LEFT JOIN (SELECT DISTINCT enterprise_id FROM {visit}
                   WHERE {window}
                   ORDER BY enterprise_id) v ON v.enterprise_id = e.id
        WHERE {parks_in}
        GROUP BY e.park_id
    """
    params = [period.year, *served_end_params, *served_now_params, *served_now_params,
              *window_params, *parks_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    keys = ("introduced", "served", "served_as_of", "visited")
    return {park_id: {key: int(value or 0) for key, value in
                      zip(keys, rows.get(park_id, (0, 0, 0, 0)), strict=True)}
            for park_id in park_ids}


def visit_coverage(enterprises: dict, as_of: date) -> dict:
    return {
        "served": enterprises["served_as_of"],
        "visited": enterprises["visited"],
        "rate": coverage_rate(enterprises["visited"], enterprises["served_as_of"]),
        "window_start": visit_window(as_of)[0],
        "window_end": as_of,
    }


def open_demand_figures(park: Park, as_of: date) -> dict:
    """`open_demand_figures_by_park` of one park."""
    return open_demand_figures_by_park([park.pk], as_of)[park.pk]


def _grouped(queryset, park_field: str, park_ids: list[int], empty: dict, **aggregates
             ) -> dict[int, dict]:
    """`aggregates` of `queryset` per park of `park_ids` (`empty` for a park without rows):
    one query grouped by park."""
    rows = {row[park_field]: row for row in
            queryset.filter(InIds(park_field, park_ids)).values(park_field)
            .annotate(**aggregates).order_by()}
    return {park_id: {key: rows[park_id][key] for key in aggregates}
            if park_id in rows else dict(empty) for park_id in park_ids}


def open_demand_figures_by_park(park_ids: list[int], as_of: date) -> dict[int, dict]:
    """Demands raised by the day `as_of` and not resolved by its end; overdue: due before."""
    open_then = open_demand_on_q(as_of)  # enterprises.models
    # The open filter in WHERE: PostgreSQL then walks the open demands and looks each one's
    # enterprise up in the park's index, instead of hashing every enterprise of the park.
    return _grouped(Demand.objects.filter(open_then), "enterprise__park_id", park_ids,
                    {"total": 0, "overdue": 0},
                    total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=as_of)))


def talent_figures_by_park(park_ids: list[int], period: Period) -> dict[int, dict]:
    return _grouped(TalentIntroduction.objects.filter(
        introduced_on__gte=period.year_start, introduced_on__lte=period.end),
        "park_id", park_ids, {"total": 0, "phd": 0},
        total=Count("id"), phd=Count("id", filter=Q(degree=TalentIntroduction.Degree.PHD)))


def partner_counts(park_ids: list[int], period: Period) -> dict[int, int]:
    rows = _grouped(PartnerOrganization.objects.filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=period.end)), "park_id", park_ids,
        {"n": 0}, n=Count("id"))
    return {park_id: row["n"] for park_id, row in rows.items()}


def innovation_center_counts(park_ids: list[int], period: Period) -> dict[int, int]:
    rows = _grouped(InnovationCenter.objects.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=period.end)), "park_id",
        park_ids, {"n": 0}, n=Count("id"))
    return {park_id: row["n"] for park_id, row in rows.items()}


def park_targets_by_park(park_ids: list[int], year: int) -> dict[int, dict | None]:
    """The parks' own targets for Y as their reports state them (None without)."""
    targets = {target.park_id: target for target in ParkAnnualTarget.objects.filter(
        ParkAnnualTarget.published_q(), InIds("park_id", park_ids), year=year)}
    result = {}
    for park_id in park_ids:
        target = targets.get(park_id)
        result[park_id] = None if target is None else {
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
    return result


# --- traffic lights (per project) ---------------------------------------------------------

GREEN, YELLOW, RED, NOT_RATED, NOT_DUE = "green", "yellow", "red", "none", "not_due"
LIGHTS = (RED, YELLOW, GREEN, NOT_DUE, NOT_RATED)
MONEY_OUTPUT = DecimalField(max_digits=16, decimal_places=2)


def _light_sql(parks: list[Park], period: Period, as_of: date) -> tuple[str, list]:
    """The one definition of the traffic light, as SQL: one row per planned project of the
    year of the `parks` with id, park_id, code, planned, completed_ytd, planned_to_date,
    light, light_rank and sort_ratio. The rule in words is `project_traffic_lights`'
    docstring; each park's thresholds are its own (read from the park's row; the day a
    project counts as not started by is chosen by the park's months, among the few values
    the parks use).

    Everything per project comes from its one fact row of the year
    (`dashboard.models.ProjectYearFact`, kept by triggers from the project, its plan and its
    per-project-year progress summary): the plan, the plan to the end of quarter Q and the
    counted completed investment of months 1 .. 3Q, all in whole cents, and the project's
    code, stage and start dates. One narrow row per project, read by the (park, year) index,
    instead of joining three tables (docs/performance.md).

    The project is measured against its own schedule: the plan to date is Σ q1 .. qQ of its
    annual plan when the plan is split by quarter (the quarters add up to the year or are all
    zero, a database constraint), else the flat share of the year (m ÷ 12 × planned).
    The comparison is scaled by 12 × planned so that it stays exact (no division):
    (expected − completed) ÷ planned × 100 > limit  ⇔
    100 × (expected₁₂ − 12 × completed) > 12 × limit × planned, where expected₁₂ is
    12 × plan to date (split) or m × planned (flat), m = months elapsed.
    The amounts are whole cents (BIGINT, exact: at most ≈ 10¹⁵ cents × 1,200 < 2⁶³), so the
    light is integer arithmetic, not numeric.
    """
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    # PostgreSQL: an optimisation fence (OFFSET 0). Without it PostgreSQL inlines the
    # subquery and evaluates the light's CASE again for every reference: the rank, the sort
    # and each count.
    fence = " OFFSET 0" if postgres else ""
    q = period.quarter
    # Cents back to 万元: exact numeric on PostgreSQL (scale 2); SQLite keeps decimals as
    # binary floats anyway (as its summary does), rounded to the cent.
    money = ("{} * 0.01" if postgres else "ROUND({} / 100.0, 2)").format
    expected = "(CASE WHEN b.is_split = 1 THEN 12 * b.to_date_cents ELSE %s * b.planned_cents END)"
    behind = f"100 * ({expected} - 12 * b.completed_cents)"
    park_table = Park._meta.db_table
    months = sorted({park.not_started_red_months for park in parks})
    not_started_by = ("(CASE k.not_started_red_months "
                      + " ".join("WHEN %s THEN %s" for _ in months) + " END)")
    not_started_params = [value for n in months
                          for value in (n, ops.adapt_datefield_value(months_before(as_of, n)))]
    parks_in, parks_params = _in_list("f.park_id", [park.pk for park in parks])
    float_type = "DOUBLE PRECISION" if postgres else "REAL"
    base = f"""
        SELECT f.project_id AS id, f.park_id AS park_id, f.code AS code, f.stage AS stage,
               f.planned_start AS planned_start, f.actual_start AS actual_start,
               {not_started_by} AS not_started_by,
               12 * k.lag_red_points AS red_limit, 12 * k.lag_yellow_points AS yellow_limit,
               {money("f.planned_cents")} AS planned,
               {money(f"f.done_to_q{q}_cents")} AS completed_ytd,
               CASE WHEN f.is_split THEN {money(f"f.plan_to_q{q}_cents")} ELSE NULL END
                 AS planned_to_date,
               CASE WHEN f.is_split THEN 1 ELSE 0 END AS is_split,
               f.planned_cents AS planned_cents, f.done_to_q{q}_cents AS completed_cents,
               f.plan_to_q{q}_cents AS to_date_cents
        FROM {ProjectYearFact._meta.db_table} f
        JOIN {park_table} k ON k.id = f.park_id
        WHERE {parks_in} AND f.year = %s AND f.published
    """
    sql = f"""
        SELECT b.id AS id, b.park_id AS park_id, b.code AS code, b.planned AS planned,
               b.completed_ytd AS completed_ytd, b.planned_to_date AS planned_to_date,
               CASE
                 WHEN b.stage = %s THEN %s
                 WHEN b.stage IN (%s, %s) THEN %s
                 WHEN b.planned_start IS NOT NULL AND b.planned_start <= b.not_started_by
                      AND (b.actual_start IS NULL OR b.actual_start > %s) THEN %s
                 WHEN b.planned_start IS NOT NULL AND b.planned_start > %s
                      AND (b.actual_start IS NULL OR b.actual_start > %s) THEN %s
                 WHEN b.planned_cents = 0 THEN %s
                 WHEN {behind} > b.red_limit * b.planned_cents THEN %s
                 WHEN {behind} >= b.yellow_limit * b.planned_cents THEN %s
                 ELSE %s
               END AS light,
               CASE WHEN b.planned_cents = 0 THEN NULL
                    ELSE CAST(b.completed_cents AS {float_type})
                         / CAST(b.planned_cents AS {float_type}) END AS sort_ratio
        FROM ({base}) b{fence}
    """
    m = period.last_month
    period_end = ops.adapt_datefield_value(period.end)
    params = [
        ProjectStage.CANCELLED.value, NOT_RATED,
        ProjectStage.COMPLETED.value, ProjectStage.OPERATING.value, GREEN,
        ops.adapt_datefield_value(as_of), RED,
        period_end, period_end, NOT_DUE,
        GREEN,
        m, RED,
        m, YELLOW,
        GREEN,
        *not_started_params,
        *parks_params,
        period.year,
    ]
    rank = " ".join(f"WHEN '{light}' THEN {i}" for i, light in enumerate(LIGHTS))
    wrapped = f"SELECT t.*, CASE t.light {rank} END AS light_rank FROM ({sql}) t"
    return wrapped, params


def _lights(park: Park, period: Period, as_of: date, *, lights=None, limit=None,
            with_counts=False) -> tuple[list[dict], dict]:
    """Rows of `_light_sql` (optionally only some lights, worst first, at most `limit`)
    and, with `with_counts`, the number of projects per light, in the same query (the
    lights computed once, counted once, and the worst rows picked by a top-N sort)."""
    sql, params = _light_sql([park], period, as_of)
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    counts_from = ""
    if with_counts:
        counts_from = ", (SELECT " + ", ".join(
            f"SUM(CASE WHEN light = '{light}' THEN 1 ELSE 0 END) AS n_{light}"
            for light in LIGHTS) + " FROM l) c"
    where = ""
    if lights is not None:
        where = "WHERE l.light IN (" + ", ".join("%s" for _ in lights) + ")"
        params = [*params, *lights]
    query = (f"WITH l AS {materialized}({sql}) SELECT * FROM l{counts_from} "
             f"{where} ORDER BY l.light_rank, l.sort_ratio IS NULL, l.sort_ratio, l.code")
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = [col[0] for col in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    counts = {light: 0 for light in LIGHTS}
    if with_counts and rows:
        counts = {light: int(rows[0][f"n_{light}"] or 0) for light in LIGHTS}
    return rows, counts


def traffic_light_counts(parks: list[Park], period: Period, as_of: date
                         ) -> dict[int, dict]:
    """Planned projects per light, per park: one query grouped by park."""
    sql, params = _light_sql(parks, period, as_of)
    query = ("SELECT c.park_id, " + ", ".join(
        f"SUM(CASE WHEN light = '{light}' THEN 1 ELSE 0 END)" for light in LIGHTS)
        + f" FROM ({sql}) c GROUP BY c.park_id")
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    return {park.pk: {light: int(value or 0) for light, value in
                      zip(LIGHTS, rows.get(park.pk, (0,) * len(LIGHTS)), strict=True)}
            for park in parks}


def _attach(rows: list[dict], period: Period, queryset, *, by_ids=True) -> list:
    """Project instances for `rows`, in their order, with planned, completed_ytd, light,
    completion_rate and points_behind (Decimal) set. `by_ids=False`: `queryset` already
    holds exactly those projects (no long IN list)."""
    if by_ids:
        queryset = queryset.filter(pk__in=[row["id"] for row in rows])
    by_id = {project.pk: project for project in queryset}
    result = []
    for row in rows:
        project = by_id.get(row["id"])
        if project is None:  # deleted since the rows were computed
            continue
        project.planned = as_money(row["planned"])
        project.completed_ytd = as_money(row["completed_ytd"])
        project.light = row["light"]
        to_date = row.get("planned_to_date")
        project.planned_to_date = None if to_date is None else as_money(to_date)
        project.completion_rate = ratio(project.completed_ytd, project.planned)
        project.expected_rate = (period.time_progress if project.planned_to_date is None
                                 else ratio(project.planned_to_date, project.planned))
        project.points_behind = (
            None if project.completion_rate is None or project.light == NOT_DUE
            else ((project.expected_rate - project.completion_rate) * 100).quantize(
                Decimal("0.1")))
        result.append(project)
    return result


def _with_people(queryset):
    from django.contrib.auth import get_user_model

    return queryset.select_related("industry").prefetch_related(
        Prefetch("responsible", queryset=get_user_model().objects.order_by("username")))


def project_traffic_lights(*, park: Park, year: int, quarter: int, lights=None,
                           limit: int | None = None, as_of: date | None = None) -> list:
    """The year's planned projects with their traffic light for months 1 .. 3Q, worst first
    (red, yellow, green, none; within a light the lowest completion rate first).

    Each is a Project (industry and responsible staff loaded) with `planned` (its annual
    plan), `completed_ytd` (counted reports, months 1 .. 3Q), `light`, `completion_rate`
    and `points_behind` (Decimal). `lights` keeps only some lights, e.g. ("red", "yellow");
    `limit` bounds the list. Three queries whatever the size.

    The light measures each project against its own schedule. Its expected progress is its
    plan to date ÷ its annual plan when the plan is split by quarter (Σ q1 .. qQ), else time
    progress (3Q ÷ 12); the gap to its completion rate is in percentage points, with the
    park's thresholds (defaults 10 and 30):
    - red: more than `lag_red_points` behind, or not started `not_started_red_months` months
      after its planned start (judged on `as_of`, i.e. min(today, period end));
    - not_due: planned to start after the period end and not started by then — not yet due,
      so not lagging (counted apart, neither yellow nor red);
    - yellow: `lag_yellow_points` to `lag_red_points` points behind, both ends included;
    - green: less than `lag_yellow_points` behind, ahead, completed or in operation, or
      nothing planned for the year;
    - none: cancelled projects are not rated.
    Each project also gets `planned_to_date` (None without a quarterly split),
    `expected_rate` and, unless not yet due, `points_behind`.
    """
    period = Period(year, quarter)
    rows, _counts = _lights(park, period, as_of or as_of_date(period), lights=lights,
                            limit=limit)
    return _attach(rows, period, _with_people(Project.objects.all()))


def lagging_projects(*, park: Park, year: int, quarter: int, limit: int | None = 50,
                     as_of: date | None = None) -> list:
    """Red and yellow projects, worst first, at most `limit` (None: all)."""
    return project_traffic_lights(park=park, year=year, quarter=quarter, lights=(RED, YELLOW),
                                  limit=limit, as_of=as_of)


def _lagging_rows_with_counts(*, park: Park, period: Period, limit: int,
                              as_of: date | None = None) -> tuple[list[dict], dict]:
    """Red and yellow rows (id, planned, completed_ytd, light), worst first, at most `limit`,
    and the count per light, from one scan."""
    rows, counts = _lights(park, period, as_of or as_of_date(period), limit=limit,
                           with_counts=True)
    return [{"id": row["id"], "light": row["light"], "planned": as_money(row["planned"]),
             "completed_ytd": as_money(row["completed_ytd"]),
             "planned_to_date": (None if row["planned_to_date"] is None
                                 else as_money(row["planned_to_date"]))}
            for row in rows if row["light"] in (RED, YELLOW)], counts


def lagging_projects_from_rows(rows: list[dict], *, year: int, quarter: int) -> list:
    """Project instances (industry and responsible staff loaded, two queries) for lagging
    rows as `dashboard_json` returns them (amounts as Decimal or decimal strings), in their
    order; rows whose project no longer exists are left out."""
    if not rows:
        return []
    return _attach(rows, Period(year, quarter), _with_people(Project.objects.all()))


def project_rows(*, park: Park, year: int, quarter: int) -> list:
    """Every planned project of the year for the 重点项目进度表 export (major first, then by
    code): traffic-light figures (累计完成 = completed YTD from the summary) plus completed
    in the period's last month (本月完成, from the summary) and the physical progress,
    problems and coordination needed of its latest counted report up to the period end.
    Each project's `responsible_people` lists its responsible users by username (one query
    for all, not a per-project prefetch: Django builds a queryset per instance for that,
    ≈ 1.5 s for 20,000 projects). Five queries whatever the size."""
    from django.contrib.auth import get_user_model

    period = Period(year, quarter)
    rows, _counts = _lights(park, period, as_of_date(period))
    projects = _attach(rows, period, planned_projects(park, year).select_related("industry"),
                       by_ids=False)
    people: dict[int, list] = {}
    users = get_user_model().objects.filter(responsible_projects__park=park).annotate(
        responsible_for=F("responsible_projects__id")).order_by("username").only(
        "username", "first_name", "last_name")
    for user in users:
        people.setdefault(user.responsible_for, []).append(user)
    counted = ProgressReport.objects.filter(
        project__park=park, year=year, month__lte=period.last_month,
        status__in=COUNTED_STATUSES)
    in_month = dict(ProjectYearProgress.objects.filter(project__park=park, year=year)
                    .values_list("project_id", f"completed_m{period.last_month}"))
    text_fields = ("image_progress", "problems", "coordination_needed")
    if connection.features.can_distinct_on_fields:
        latest_rows = (counted.order_by("project_id", "-month").distinct("project_id")
                       .values("project_id", *text_fields))
    else:  # SQLite: the latest month per project, then those reports
        latest_month = counted.filter(project=OuterRef("project"), month__gt=OuterRef("month"))
        latest_rows = (counted.filter(~Exists(latest_month))
                       .values("project_id", *text_fields))
    latest = {row["project_id"]: row for row in latest_rows}
    for project in projects:
        report = latest.get(project.pk, {})
        project.responsible_people = people.get(project.pk, [])
        project.completed_in_month = as_money(in_month.get(project.pk))
        project.latest_image_progress = report.get("image_progress", "")
        project.latest_problems = report.get("problems", "")
        project.latest_coordination = report.get("coordination_needed", "")
    projects.sort(key=lambda p: (not p.is_major, p.code))
    return projects


def default_period(park: Park | None, today: date | None = None) -> tuple[int, int, bool]:
    """(year, quarter, fell_back): the current quarter, unless the park has no annual plans
    for the current year; then the latest year with plans and its latest quarter with
    reports (fell_back is True so the page can say so)."""
    today = today or timezone.localdate()
    current = (today.year, quarter_of(today.month))
    if park is None:
        return (*current, False)
    plans = AnnualPlan.objects.filter(AnnualPlan.published_q(), project__park=park)
    if plans.filter(year=today.year).exists():
        return (*current, False)
    latest = latest_planned_period(park, before_year=today.year)
    if latest is None:
        return (*current, False)
    return (*latest, True)


def latest_planned_period(park: Park, *, before_year: int | None = None
                          ) -> tuple[int, int] | None:
    """(year, quarter) of the latest year with annual plans (before `before_year` if given)
    and its latest quarter with counted reports (Q4 when it has none); None without plans.
    What the dashboard offers for a year without plans, and its default fallback."""
    plans = AnnualPlan.objects.filter(AnnualPlan.published_q(), project__park=park)
    if before_year is not None:
        plans = plans.filter(year__lt=before_year)
    latest_year = plans.aggregate(year=Max("year"))["year"]
    if latest_year is None:
        return None
    last_month = (ProgressReport.objects
                  .filter(project__park=park, year=latest_year, status__in=COUNTED_STATUSES)
                  .aggregate(month=Max("month"))["month"])
    return (latest_year, quarter_of(last_month) if last_month else 4)


def park_rollup(*, park: Park, year: int, quarter: int) -> dict:
    """Every figure of SPEC §3 for a park, year Y and quarter Q: see `_rollup`."""
    return _rollup(park=park, year=year, quarter=quarter)[0]


def dashboard_figures(*, park: Park, year: int, quarter: int,
                      lagging_limit: int = 50) -> tuple[dict, list]:
    """`park_rollup` and the lagging rows (red and yellow: id, light, planned and
    completed_ytd; worst first, at most `lagging_limit`), the light counts and the rows
    coming from one query. `lagging_projects_from_rows` turns the rows into projects."""
    return _rollup(park=park, year=year, quarter=quarter, lagging_limit=lagging_limit)


def _rollup(*, park: Park, year: int, quarter: int,
            lagging_limit: int | None = None) -> tuple[dict, list]:
    """Every figure of SPEC §3 for a park, year Y and quarter Q (months 1 .. 3Q).

    - projects_planned: projects with an AnnualPlan for Y;
    - total_investment: Σ their total investment;
    - annual_planned / industrial_planned: Σ AnnualPlan planned / industrial for Y;
    - completed_ytd: Σ counted reports' completed investment, months 1 .. 3Q of Y;
    - completion_rate: completed_ytd ÷ annual_planned (a ratio, 4 places; null if no plan);
    - time_progress: 3Q ÷ 12;
    - major_preliminary: major projects still in the preliminary stage, count and Σ total;
    - major_projects: planned projects marked major;
    - preliminary_done: projects whose preliminary work was completed in Y by the period end;
    - new_starts: projects whose actual start falls in quarter Q;
    - continuing: projects started before Y and not completed by the period end;
    - fixed_asset_investment: Σ counted reports' fixed-asset investment formed, months 1 .. 3Q;
    - enterprises_introduced: enterprises with introduced_year = Y;
    - enterprises_served: resident + managed enterprises at the period end;
    - talents: talent introductions dated in Y up to the period end, and the PhDs among them;
    - partners / innovation_centers: those the park had at the period end;
    - targets: the park's own targets for Y as its report states them (or null);
    - as_of: min(today, period end), the day the next three figures are taken at;
    - visit_coverage: served enterprises on as_of visited in the 7 days up to as_of;
    - open_demands: demands raised by as_of and not resolved by then, and the overdue ones;
    - traffic_lights: planned projects per light (see `project_traffic_lights`);
    - monthly: per month, completed, cumulative and the plan line (annual planned × m ÷ 12);
    - by_industry / by_stage: planned projects per industry (planned, completed, rate) and per
      current stage;
    - quarters: quarter by quarter up to Q (completed, cumulative, rate, time progress,
      fixed-asset investment, new starts);
    - investment: the lead pipeline in Y up to the period end (leads.selectors.
      investment_figures: leads_active, negotiating, signed, signed_amount, funds_in_place,
      landed, landing_rate).
    """
    period = Period(year, quarter)
    as_of = as_of_date(period)
    if lagging_limit is None:
        lagging, light_counts = [], traffic_light_counts([park], period, as_of)[park.pk]
    else:
        lagging, light_counts = _lagging_rows_with_counts(park=park, period=period,
                                                          limit=lagging_limit, as_of=as_of)
    figures = figures_by_park([park], period, as_of, {park.pk: light_counts})[park.pk]
    return figures, lagging


def figures_by_park(parks: list[Park], period: Period, as_of: date,
                    light_counts: dict[int, dict] | None = None) -> dict[int, dict]:
    """The figures object of `_rollup` for every park of `parks`, keyed by park id: each
    figure from one query grouped by park over all of them (about a dozen queries whatever
    the number of parks; one park is the same code). `light_counts` per park when the caller
    has them already (the park dashboard counts them with its lagging rows)."""
    parts = _parts(parks, period, as_of, light_counts)
    result = {}
    for park in parks:
        figures = _park_figures(park, period, as_of, parts)
        plan_by_industry, projects = parts["plans_and_projects"][park.pk]
        result[park.pk] = {**figures, **figure_tables(
            period, figures["annual_planned"], plan_by_industry, projects,
            spread_over_months(parts["progress"][park.pk], period))}
    return result


def figures_of_parks(parks: list[Park], period: Period, as_of: date
                     ) -> tuple[dict[int, dict], dict]:
    """For a region: every park's figures without the tables (keyed by park id), and the
    tables (monthly, by_industry, by_stage, quarters) of all the parks together, computed
    once from their grouped rows added up (the same queries as `figures_by_park`)."""
    if not parks:
        return {}, figure_tables(period, ZERO, [], _project_aggregates_zero(period), [])
    ids = [park.pk for park in parks]
    progress, groups = region_progress_groups(ids, period)
    parts = _parts(parks, period, as_of, None, by_industry=False, progress=progress)
    per_park = {park.pk: _park_figures(park, period, as_of, parts) for park in parks}
    plan_by_industry, _none = plan_and_project_figures(ids, period, by_park=False,
                                                       project_aggregates=False)[None]
    # The region's project aggregates (stages, new starts by quarter): its parks' added up.
    money = {"total", "major_preliminary_investment"}
    projects = {key: sum((parts["plans_and_projects"][park_id][1][key] for park_id in ids),
                         ZERO if key in money else 0)
                for key in _project_aggregates(period)}
    annual_planned = sum((figures["annual_planned"] for figures in per_park.values()), ZERO)
    return per_park, figure_tables(period, annual_planned, plan_by_industry, projects,
                                   spread_over_months(groups, period))


def _project_aggregates_zero(period: Period) -> dict:
    money = {"total", "major_preliminary_investment"}
    return {key: ZERO if key in money else 0 for key in _project_aggregates(period)}


def _parts(parks: list[Park], period: Period, as_of: date,
           light_counts: dict[int, dict] | None, *, by_industry: bool = True,
           progress: dict | None = None) -> dict:
    """What the figures are made of, for every park of `parks`: one query per kind, grouped
    by park (`by_industry=False`: plans and progress not split by industry, a region's
    parks' figures without their tables; `progress`: those progress groups when the caller
    has them already)."""
    ids = [park.pk for park in parks]
    if not ids:
        return {}
    if light_counts is None:
        light_counts = traffic_light_counts(parks, period, as_of)
    return {
        "lights": light_counts,
        "plans_and_projects": plan_and_project_figures(ids, period, by_industry=by_industry),
        "progress": progress if progress is not None else progress_groups_by_park(
            ids, period, months=by_industry,
            group=PROGRESS_GROUP if by_industry else ("project__is_industrial",)),
        "enterprises": enterprise_figures_by_park(ids, period, as_of),
        "talents": talent_figures_by_park(ids, period),
        "partners": partner_counts(ids, period),
        "centers": innovation_center_counts(ids, period),
        "targets": park_targets_by_park(ids, period.year),
        "demands": open_demand_figures_by_park(ids, as_of),
        "investment": investment_figures_by_park(ids, period),
    }


def figure_tables(period: Period, annual_planned: Decimal, plan_by_industry: list[dict],
                  projects: dict, rows: list[dict]) -> dict:
    """The tables of the figures object (registry.TABLES) from plan and progress rows."""
    return {
        "monthly": monthly_series(period, annual_planned, rows),
        "by_industry": industry_breakdown(plan_by_industry, rows),
        "by_stage": stage_breakdown(projects),
        "quarters": quarter_table(period, annual_planned, projects, rows),
    }


def _park_figures(park: Park, period: Period, as_of: date, parts: dict) -> dict:
    """One park's figures (all but the tables) from `_parts`."""
    year, quarter = period.year, period.quarter
    plan_by_industry, projects = parts["plans_and_projects"][park.pk]
    plans = plan_figures(park, year, plan_by_industry)
    progress = progress_figures(parts["progress"][park.pk])
    enterprises, talents = parts["enterprises"][park.pk], parts["talents"][park.pk]
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
        "major_projects": projects["major"],
        "preliminary_done": projects["preliminary_done"],
        "new_starts": projects["new_starts"],
        "continuing": projects["continuing"],
        "fixed_asset_investment": as_money(progress["fixed_asset_investment"]),
        "enterprises_introduced": enterprises["introduced"],
        "enterprises_served": enterprises["served"],
        "talents": {"total": talents["total"], "phd": talents["phd"]},
        "partners": parts["partners"][park.pk],
        "innovation_centers": parts["centers"][park.pk],
        "targets": parts["targets"][park.pk],
        "as_of": as_of,
        "visit_coverage": visit_coverage(enterprises, as_of),
        "open_demands": parts["demands"][park.pk],
        "traffic_lights": {
            **parts["lights"][park.pk],
            "thresholds": {"yellow_points": park.lag_yellow_points,
                           "red_points": park.lag_red_points,
                           "not_started_months": park.not_started_red_months},
        },
        "investment": parts["investment"][park.pk],
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


def dashboard_json(*, park: Park, year: int, quarter: int,
                   lagging_limit: int = 50) -> tuple[dict, list]:
    """`rollup_as_json` and the lagging rows (JSON-safe too), from the same queries."""
    figures, lagging = dashboard_figures(park=park, year=year, quarter=quarter,
                                         lagging_limit=lagging_limit)
    return to_jsonable(figures), to_jsonable(lagging)


# --- closed quarters ------------------------------------------------------------------------

# Not figures: who the object is about (the registry lists the figures and whether each is
# compared: the as-of day and the park's targets are not).
NOT_COMPARED = {"park", "park_name"} | {
    group for group in {f.key.split(".")[0] for f in figure_registry.FIGURES}
    if not any(f.compared for f in figure_registry.FIGURES if f.key.split(".")[0] == group)}


def _leaves(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{prefix}{key}.")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{prefix}{index}.")
    else:
        yield prefix[:-1], value


def _compared(figures: dict, keys) -> dict:
    """The leaves of `figures` (top-level `keys` only) that a close compares: declared
    figures and table cells marked compared, and anything undeclared (shown by its path)."""
    leaves = {}
    for path, value in _leaves({k: figures[k] for k in keys if k not in NOT_COMPARED}):
        declared = figure_registry.declared_at(path)
        if declared is None or declared.compared:
            leaves[path] = value
    return leaves


def _number(path: str, value):
    """A leaf's value as a Decimal when the registry declares it a number, else None."""
    if value is None or isinstance(value, bool) or (
            figure_registry.kind_of(path) not in NUMERIC_KINDS):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:  # not a number after all (a hand-edited published object)
        return None


NUMERIC_KINDS = (*figure_registry.FIGURE_KINDS, figure_registry.NUMBER)


def figure_differences(published: dict, current: dict) -> dict[str, dict]:
    """Figures that changed since a quarter was closed, keyed by dotted path
    ("completed_ytd", "talents.phd", "monthly.2.cumulative"): published, current and,
    for figures the registry declares numbers, the difference (current − published)."""
    # A figure added after the quarter was closed (e.g. `investment`) was not published: it
    # is not a change.
    old = _compared(published, published.keys())
    new = _compared(current, [k for k in current if k in published])
    changes = {}
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        a, b = _number(path, before), _number(path, after)
        changes[path] = {"published": before, "current": after,
                         "delta": (b - a) if a is not None and b is not None else None}
    return changes
