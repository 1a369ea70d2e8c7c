"""The project rules, each written once beside its model (projects.models, parkportal.money):
their ORM and SQL forms select the same rows on random data, and every user reads them.

- which monthly reports count: `counted_q` (ORM), `counted_sql` (SQL), the literal frozen in
  the trigger migration projects 0003 and in the triggers the database holds;
- the rate rounding: `parkportal.money.ratio` (4 places, half up) on every page, table
  export and the workbook.
"""

import random
import re
from decimal import Decimal as D
from importlib import import_module
from io import BytesIO

import pytest
from django.db import connection
from django.db.models import Q
from openpyxl import load_workbook

from dashboard.exports import workbook_bytes
from parkportal.money import ratio
from projects import selectors, summary
from projects.models import (
    COUNTED_STATUSES,
    COUNTED_STATUSES_SQL,
    AnnualPlan,
    ProgressReport,
    Project,
    ProjectStage,
    ReportStatus,
    counted_q,
    counted_sql,
)
from projects.tables import ProjectTable

pytestmark = pytest.mark.django_db
STATUSES = [s.value for s in ReportStatus]


def ids(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return {row[0] for row in cursor.fetchall()}


def make_projects(park, industries, n=4, code="R"):
    return [Project.objects.create(park=park, code=f"{code}-{i}", name=f"规则{i}",
                                   industry=industries["other"], total_investment=D("100000"),
                                   stage=ProjectStage.CONTINUING)
            for i in range(n)]


def random_reports(projects, rng, count=40):
    slots = rng.sample([(p, y, m) for p in projects for y in (2023, 2024)
                        for m in range(1, 13)], count)
    for project, year, month in slots:
        status = rng.choice(STATUSES)
        ProgressReport.objects.create(
            project=project, year=year, month=month, status=status,
            completed_investment=D(rng.randint(0, 99999)) / 100,
            return_reason="请补充" if status == ReportStatus.RETURNED else "")


# --- which reports count -------------------------------------------------------------------


def test_counted_statuses_are_submitted_and_approved():
    assert set(COUNTED_STATUSES) == {"submitted", "approved"}
    assert COUNTED_STATUSES_SQL == "('submitted', 'approved')"
    assert counted_sql("r.status") == "r.status IN ('submitted', 'approved')"


@pytest.mark.parametrize("seed", range(4))
def test_counted_orm_and_sql_select_the_same_reports(park, industries, seed):
    rng = random.Random(seed)
    projects = make_projects(park, industries)
    random_reports(projects, rng)
    report = ProgressReport._meta.db_table
    orm = set(ProgressReport.objects.filter(counted_q()).values_list("pk", flat=True))
    sql = ids(f"SELECT id FROM {report} WHERE {counted_sql()}")
    python = {r.pk for r in ProgressReport.objects.all() if r.status in COUNTED_STATUSES}
    assert orm == sql == python
    assert 0 < len(orm) < ProgressReport.objects.count()  # the data has both kinds
    # Through a relation (prefix) and with a table alias: projects with a counted report.
    year = rng.choice([2023, 2024])
    through = set(Project.objects.filter(counted_q("progress_reports__"),
                                         progress_reports__year=year)
                  .values_list("pk", flat=True))
    aliased = ids(f"SELECT DISTINCT r.project_id FROM {report} r "
                  f"WHERE {counted_sql('r.status')} AND r.year = %s", [year])
    assert through == aliased
    # The users read the same definition (old names still importable).
    assert selectors.COUNTED_STATUSES is COUNTED_STATUSES
    assert summary.COUNTED_STATUSES is COUNTED_STATUSES
    assert selectors.counted("x__") == counted_q("x__")
    from dashboard import selectors as dashboard_selectors
    assert dashboard_selectors.COUNTED_STATUSES is COUNTED_STATUSES


def test_the_summary_counts_what_the_rule_counts(park, industries):
    """summary.rebuild (SQL form) and summary.from_reports (ORM form) agree after a rebuild,
    and the triggers kept the summary equal to both."""
    projects = make_projects(park, industries)
    random_reports(projects, random.Random(7))
    assert summary.differences() == {}
    summary.rebuild()
    assert summary.differences() == {}
    expected = sum((r.completed_investment for r in ProgressReport.objects.filter(counted_q())),
                   D(0))
    assert sum((sum(row[:12]) for row in summary.stored().values()), D(0)) == expected


def test_trigger_migration_literal_is_the_rule():
    """The trigger migration froze the counted statuses as SQL text: changing the rule needs a
    new trigger migration, and this test fails until there is one."""
    migration = import_module("projects.migrations.0003_progress_summary_triggers")
    assert migration.COUNTED == COUNTED_STATUSES_SQL


def test_installed_triggers_count_what_the_rule_counts(db):
    """The triggers in the database (not only the migration's text) use the rule's list."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT prosrc FROM pg_proc "
                           "WHERE proname = 'projects_progress_summary_apply'")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = %s", [ProgressReport._meta.db_table])
        bodies = [row[0] for row in cursor.fetchall()]
    assert bodies
    lists = {match for body in bodies for match in re.findall(r"status IN (\([^)]*\))", body)}
    assert lists == {COUNTED_STATUSES_SQL}


# --- the rate rounding ---------------------------------------------------------------------


def test_ratio_is_four_places_half_up():
    assert ratio(1, 32) == D("0.0313")            # 0.03125: half up, not half even
    assert ratio(D("0.5"), D("1.6")) == D("0.3125")
    assert ratio(1, 3) == D("0.3333")
    assert ratio(5, 0) is None and ratio(5, None) is None


@pytest.mark.parametrize("seed", range(3))
def test_pages_exports_and_workbook_round_rates_alike(park, industries, leader, seed):
    """Completed ÷ planned through every user of the rate: the project list (page and export
    value), the project page (year, month by month, overall), the dashboard workbook's rows
    and total; ties at the fifth place included (1 ÷ 32)."""
    rng = random.Random(seed)
    projects = make_projects(park, industries, n=5, code=f"Q{seed}")
    planned_total = completed_total = D(0)
    for i, project in enumerate(projects):
        planned = D(32) if i == 0 else D(rng.randint(100, 999999)) / 100
        completed = D(1) if i == 0 else D(rng.randint(0, 99999)) / 100
        AnnualPlan.objects.create(project=project, year=2024, planned_investment=planned)
        ProgressReport.objects.create(project=project, year=2024, month=2,
                                      completed_investment=completed, status="approved")
        planned_total += planned
        completed_total += completed
        expected = ratio(completed, planned)
        page = selectors.project_summary(project, year=2024)
        assert page["rate"] == expected
        assert page["overall_rate"] == ratio(completed, project.total_investment)
        _plan, months = selectors.year_by_month(project, year=2024)
        assert months[2].rate == expected and months[2].time_progress == ratio(3, 12)
        row = selectors.project_list(leader, year=2024).get(pk=project.pk)
        assert ProjectTable([])._rate(row) == ProjectTable([]).value_year_rate(row) == expected
    ws = load_workbook(BytesIO(workbook_bytes(park=park, year=2024, quarter=1)))["重点项目进度表"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    by_name = {row[1]: row[7] for row in rows[:-1]}
    for project in projects:
        plan = project.annual_plans.get(year=2024).planned_investment
        done = project.progress_reports.get().completed_investment
        assert D(str(by_name[project.name])) == ratio(done, plan)
    assert D(str(rows[-1][7])) == ratio(completed_total, planned_total)


def test_time_progress_is_a_rate_of_the_same_rounding():
    from parkportal.periods import Period
    for quarter in range(1, 5):
        assert Period(2024, quarter).time_progress == ratio(3 * quarter, 12)


def test_workbook_total_rate_rounds_a_tie_half_up(park, industries):
    """Σ completed ÷ Σ planned = 1 ÷ 32 = 0.03125: the total row says 0.0313 like the page."""
    for project in make_projects(park, industries, n=2, code="T"):
        AnnualPlan.objects.create(project=project, year=2024, planned_investment=D(16))
        ProgressReport.objects.create(project=project, year=2024, month=1,
                                      completed_investment=D("0.5"), status="submitted")
    ws = load_workbook(BytesIO(workbook_bytes(park=park, year=2024, quarter=1)))["重点项目进度表"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [D(str(row[7])) for row in rows] == [D("0.0313")] * 3


@pytest.mark.parametrize("values", [[], ["it's"], ["a b"], ["x) OR (1=1"]])
def test_sql_lists_take_plain_code_values_only(values):
    from parkportal.sql import literal_list
    with pytest.raises(ValueError):
        literal_list(values)


@pytest.mark.parametrize("seed", range(3))
def test_recent_counted_months_for_a_park_is_each_projects_own_history(park, industries,
                                                                     seed):
    """The one-query history the schedule import reads equals the per-project history of
    `unusual_amount` (counted, non-zero, before the month, newest first, at most 12)."""
    rng = random.Random(seed)
    projects = make_projects(park, industries, n=3)
    random_reports(projects, rng, count=60)
    for m in range(1, 13):  # one project has more than 12 counted months before any month
        ProgressReport.objects.create(project=projects[0], year=2022, month=m,
                                      status=ReportStatus.APPROVED,
                                      completed_investment=D(m) + D("0.5"))
    year, month = 2024, rng.randint(1, 12)
    batched = selectors.recent_counted_months(park, year=year, month=month)
    for project in projects:
        own = list(ProgressReport.objects.filter(
            selectors.counted(), project=project, completed_investment__gt=0)
            .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
            .order_by("-year", "-month").values_list("completed_investment", flat=True)[:12])
        assert batched.get(project.pk, []) == own
    assert any(len(v) == 12 for v in batched.values())  # the limit is reached somewhere
