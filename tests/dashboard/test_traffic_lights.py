"""Traffic-light boundaries: yellow 10–30 points behind (both included), red beyond 30 or
not started 3 months after the planned start; not yet due when planned to start after the
period; measured against the quarterly plan to date when the plan is split; thresholds per
park."""

from datetime import date
from decimal import Decimal as D

import pytest

from dashboard.selectors import project_traffic_lights
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(park, industries):
    counter = iter(range(1000))

    def make_project(completed, *, planned="1000", stage=ProjectStage.NEW_START,
                     planned_start=None, actual_start=date(2024, 1, 5), quarters=None):
        project = Project.objects.create(
            park=park, code=f"L{next(counter)}", name="灯", industry=industries["other"],
            total_investment=D("100000"), stage=stage, planned_start=planned_start,
            actual_start=actual_start)
        split = dict(zip(AnnualPlan.QUARTER_FIELDS, map(D, quarters or ("0",) * 4),
                         strict=True))
        AnnualPlan.objects.create(project=project, year=2024, planned_investment=D(planned),
                                  **split)
        if completed is not None:
            ProgressReport.objects.create(project=project, year=2024, month=1,
                                          completed_investment=D(completed), status="approved")
        return project

    return make_project


def light(park, project, quarter, **kw):
    rows = project_traffic_lights(park=park, year=2024, quarter=quarter, **kw)
    return next(p.light for p in rows if p.pk == project.pk)


@pytest.mark.parametrize(("quarter", "completed", "expected"), [
    (1, "250", "green"),     # on time
    (1, "151", "green"),     # 9.9 points behind
    (1, "150", "yellow"),    # exactly 10 points behind
    (1, "0", "yellow"),      # 25 points behind
    (2, "200", "yellow"),    # exactly 30 points behind
    (2, "199.99", "red"),    # 30.001 points behind
    (4, "699.99", "red"),
    (4, "1000", "green"),
    (4, "1500", "green"),    # ahead of plan
])
def test_points_behind_boundaries(park, make, quarter, completed, expected):
    assert light(park, make(completed), quarter) == expected


def test_not_started_three_months_after_planned_start(park, make):
    as_of = date(2024, 6, 30)
    due = make("900", stage=ProjectStage.PRELIMINARY, planned_start=date(2024, 3, 30),
               actual_start=None)
    not_yet = make("900", stage=ProjectStage.PRELIMINARY, planned_start=date(2024, 3, 31),
                   actual_start=None)
    started_late = make("900", planned_start=date(2024, 1, 1), actual_start=date(2024, 7, 2))
    assert light(park, due, 2, as_of=as_of) == "red"        # 3 months after 03-30 is 06-30
    assert light(park, not_yet, 2, as_of=as_of) == "green"
    assert light(park, started_late, 2, as_of=as_of) == "red"  # not started by 06-30


def test_finished_cancelled_and_unplanned(park, make):
    assert light(park, make(None, stage=ProjectStage.COMPLETED), 4) == "green"
    assert light(park, make(None, stage=ProjectStage.CANCELLED), 4) == "none"
    assert light(park, make(None, planned="0"), 4) == "green"


def test_thresholds_per_park(park, make):
    park.lag_yellow_points, park.lag_red_points = 5, 20
    park.save()
    assert light(park, make("200"), 1) == "yellow"   # 5 points
    assert light(park, make("49"), 1) == "red"       # 20.1 points
    assert light(park, make("210"), 1) == "green"    # 4 points


def test_planned_to_start_after_the_period_is_not_yet_due(park, make):
    later = make(None, stage=ProjectStage.PRELIMINARY, planned_start=date(2024, 4, 1),
                 actual_start=None)
    last_day = make(None, stage=ProjectStage.PRELIMINARY, planned_start=date(2024, 3, 31),
                    actual_start=None)
    started_early = make("0", planned_start=date(2024, 5, 1), actual_start=date(2024, 2, 1))
    assert light(park, later, 1) == "not_due"
    assert light(park, last_day, 1) == "yellow"       # due within Q1: 25 points behind
    assert light(park, started_early, 1) == "yellow"  # started: measured like any other
    assert light(park, later, 2) == "red"             # due in Q2, nothing done: 50 behind
    rows = project_traffic_lights(park=park, year=2024, quarter=1)
    not_due = next(p for p in rows if p.pk == later.pk)
    assert not_due.points_behind is None
    # Counted apart in the roll-up, not as lagging.
    from dashboard.selectors import lagging_projects, park_rollup
    lights = park_rollup(park=park, year=2024, quarter=1)["traffic_lights"]
    assert (lights["not_due"], lights["yellow"]) == (1, 2)
    assert later.pk not in {p.pk for p in lagging_projects(park=park, year=2024, quarter=1)}


@pytest.mark.parametrize(("quarter", "completed", "quarters", "expected"), [
    # Back-loaded plan: 100 planned in Q1 of 1000, i.e. 10 % expected, not 25 %.
    (1, "100", ("100", "200", "300", "400"), "green"),
    (1, "1", ("100", "200", "300", "400"), "green"),      # 9.9 points behind
    (1, "0", ("100", "200", "300", "400"), "yellow"),     # exactly 10 points behind
    (2, "0", ("100", "200", "300", "400"), "yellow"),     # 30 points behind
    (2, "0", ("101", "200", "300", "399"), "red"),        # 30.1 points behind
    # Front-loaded: 600 of 1000 due in Q1; 250 done is 35 points behind (flat would be green).
    (1, "250", ("600", "200", "100", "100"), "red"),
    (1, "250", ("0", "0", "0", "0"), "green"),            # no split: time progress 25 %
])
def test_quarterly_split_measures_against_plan_to_date(park, make, quarter, completed,
                                                       quarters, expected):
    project = make(completed, quarters=quarters)
    assert light(park, project, quarter) == expected


def test_points_behind_uses_the_plan_to_date(park, make):
    project = make("100", quarters=("400", "200", "200", "200"))
    row = next(p for p in project_traffic_lights(park=park, year=2024, quarter=1)
               if p.pk == project.pk)
    assert row.planned_to_date == D("400.00")
    assert row.expected_rate == D("0.4000")
    assert row.points_behind == D("30.0")
    assert row.light == "yellow"
