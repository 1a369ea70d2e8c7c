"""Figures against hand-computed values on the small park (see conftest)."""

from datetime import date
from decimal import Decimal as D

import pytest

from dashboard.selectors import (
    as_of_date,
    default_period,
    figure_differences,
    lagging_projects,
    park_rollup,
    project_rows,
    project_traffic_lights,
    to_jsonable,
)
from parkportal.money import as_money, ratio
from parkportal.periods import Period, months_before
from parks.models import Park

pytestmark = pytest.mark.django_db


def test_rollup_q2_by_hand(park, small_park):
    f = park_rollup(park=park, year=2024, quarter=2)
    assert f["projects_planned"] == 4
    assert f["total_investment"] == D("29000.00")
    assert f["annual_planned"] == D("10000.00")
    assert f["industrial_planned"] == D("5000.00")
    assert f["completed_ytd"] == D("3000.00")            # A 500+700, B 1000+800
    assert f["completed_in_quarter"] == D("2000.00")     # A 500+700, B 800
    assert f["industrial_completed_ytd"] == D("1200.00")
    assert f["completion_rate"] == D("0.3000")
    assert f["time_progress"] == D("0.5000")
    assert f["fixed_asset_investment"] == D("2600.00")
    assert f["major_preliminary"] == {"count": 1, "total_investment": D("8000.00")}
    assert f["major_projects"] == 2
    assert f["preliminary_done"] == 1
    assert f["new_starts"] == 1
    assert f["continuing"] == 1
    assert f["enterprises_introduced"] == 3
    assert f["enterprises_served"] == 2
    assert f["talents"] == {"total": 2, "phd": 1}
    assert f["as_of"] == date(2024, 6, 30)
    assert f["visit_coverage"] == {"served": 2, "visited": 1, "rate": D("0.5000"),
                                   "window_start": date(2024, 6, 24),
                                   "window_end": date(2024, 6, 30)}
    assert f["open_demands"] == {"total": 2, "overdue": 1}
    lights = f["traffic_lights"]
    assert (lights["red"], lights["yellow"], lights["green"], lights["none"]) == (1, 1, 1, 1)
    assert lights["thresholds"] == {"yellow_points": 10, "red_points": 30,
                                    "not_started_months": 3}


def test_series_breakdowns_and_quarters(park, small_park):
    f = park_rollup(park=park, year=2024, quarter=2)
    monthly = f["monthly"]
    assert [m["completed"] for m in monthly[:6]] == [D(x) for x in
                                                     ("0", "1000", "0", "500", "1500", "0")]
    assert [m["cumulative"] for m in monthly[:6]] == [D(x) for x in
                                                      ("0", "1000", "1000", "1500", "3000",
                                                       "3000")]
    assert all(m["completed"] is None and m["cumulative"] is None for m in monthly[6:])
    assert monthly[0]["planned_cumulative"] == D("833.33")
    assert monthly[11]["planned_cumulative"] == D("10000.00")
    by_industry = {row["industry"]: row for row in f["by_industry"]}
    assert set(by_industry) == {"biomedicine", "green-food", "clean-energy", "other"}
    assert by_industry["biomedicine"]["planned"] == D("4000.00")
    assert by_industry["biomedicine"]["completed"] == D("1200.00")
    assert by_industry["green-food"]["completion_rate"] == D("0.6000")
    assert by_industry["clean-energy"]["completed"] == D("0.00")
    assert sum(row["completed"] for row in f["by_industry"]) == f["completed_ytd"]
    stages = {row["stage"]: row["projects"] for row in f["by_stage"]}
    assert stages == {"preliminary": 1, "new_start": 1, "continuing": 1, "completed": 0,
                      "operating": 0, "suspended": 0, "cancelled": 1}
    q1, q2 = f["quarters"]
    assert (q1["completed"], q1["cumulative"], q1["completion_rate"], q1["new_starts"],
            q1["fixed_asset_investment"]) == (D("1000.00"), D("1000.00"), D("0.1000"), 0,
                                              D("900.00"))
    assert (q2["completed"], q2["cumulative"], q2["completion_rate"], q2["new_starts"],
            q2["time_progress"]) == (D("2000.00"), D("3000.00"), D("0.3000"), 1, D("0.5000"))


def test_q1_counts_only_months_1_to_3(park, small_park):
    f = park_rollup(park=park, year=2024, quarter=1)
    assert f["completed_ytd"] == D("1000.00")
    assert f["new_starts"] == 0
    assert f["traffic_lights"]["red"] == 0   # C's planned start + 3 months is after 03-31


def test_lagging_projects_and_rows(park, small_park, staff_user):
    lagging = lagging_projects(park=park, year=2024, quarter=2)
    assert [(p.code, p.light) for p in lagging] == [("C", "red"), ("A", "yellow")]
    a = lagging[1]
    assert a.completion_rate == D("0.3000") and a.points_behind == D("20.0")
    assert list(a.responsible.all()) == [staff_user]
    rows = {p.code: p for p in project_rows(park=park, year=2024, quarter=2)}
    assert set(rows) == {"A", "B", "C", "E"}
    assert rows["A"].completed_in_month == D("0.00")     # June's report is a draft
    assert rows["B"].completed_in_month == D("0.00")
    assert rows["A"].latest_image_progress == ""  # the latest counted report (May) says none
    assert rows["B"].latest_image_progress == "@设备安装"


def test_default_period_falls_back_to_latest_planned_year(park, small_park):
    assert default_period(park, today=date(2024, 5, 2)) == (2024, 2, False)
    assert default_period(park, today=date(2026, 2, 1)) == (2024, 3, True)  # July reported


def test_query_count_is_constant(park, small_park, django_assert_num_queries):
    # 9 for the projects, enterprises and talents; 2 for the lead pipeline (the leads'
    # counts and sums, the funds in place).
    with django_assert_num_queries(11):
        park_rollup(park=park, year=2024, quarter=2)


def test_figure_differences():
    published = {"completed_ytd": "10.00", "talents": {"total": 2, "phd": 1}, "as_of": "x",
                 "monthly": [{"cumulative": "1.00"}], "park_name": "a"}
    current = {"completed_ytd": "12.50", "talents": {"total": 2, "phd": 1}, "as_of": "y",
               "monthly": [{"cumulative": "3.00"}], "park_name": "b"}
    changes = figure_differences(published, current)
    assert changes == {
        "completed_ytd": {"published": "10.00", "current": "12.50", "delta": D("2.50")},
        "monthly.0.cumulative": {"published": "1.00", "current": "3.00", "delta": D("2.00")},
    }
    # A figure added after the close (issue 13's `investment`) was never published.
    assert figure_differences(published, {**current, "investment": {"landed": 11}}) == changes


def test_project_traffic_lights_api(park, small_park, django_assert_num_queries):
    with django_assert_num_queries(3):   # lights, projects, responsible staff
        projects = project_traffic_lights(park=park, year=2024, quarter=2)
        assert [(p.code, p.light) for p in projects] == [("C", "red"), ("A", "yellow"),
                                                         ("B", "green"), ("E", "none")]
        assert [p.responsible.all()[0].username for p in projects[1:2]] == ["staff_resp"]
    only_green = project_traffic_lights(park=park, year=2024, quarter=2, lights=("green",))
    assert [p.code for p in only_green] == ["B"]
    assert only_green[0].completion_rate == D("0.6000")
    assert only_green[0].points_behind == D("-10.0")


# --- period and figure helpers (issue 17) ---------------------------------------------------


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_period_refuses_a_quarter_outside_1_to_4(quarter):
    with pytest.raises(ValueError, match="quarter must be 1, 2, 3 or 4"):
        Period(2024, quarter)


@pytest.mark.parametrize(("quarter", "last_month", "start", "end", "progress"), [
    (1, 3, date(2024, 1, 1), date(2024, 3, 31), "0.2500"),
    (2, 6, date(2024, 4, 1), date(2024, 6, 30), "0.5000"),
    (3, 9, date(2024, 7, 1), date(2024, 9, 30), "0.7500"),
    (4, 12, date(2024, 10, 1), date(2024, 12, 31), "1.0000"),
])
def test_period_dates(quarter, last_month, start, end, progress):
    period = Period(2024, quarter)
    assert period.last_month == last_month
    assert period.year_start == date(2024, 1, 1)
    assert period.quarter_start == start
    assert period.end == end
    assert str(period.time_progress) == progress


def test_period_end_in_february_of_a_leap_year_is_not_a_quarter_end():
    # Quarter ends never fall in February; the month length still comes from the calendar.
    assert Period(2023, 1).end == date(2023, 3, 31)
    assert Period(2023, 3).end == date(2023, 9, 30)


@pytest.mark.parametrize(("value", "money"), [
    (None, "0.00"), (0, "0.00"), (3, "3.00"), (D("2.5"), "2.50"), ("7.1", "7.10"),
])
def test_as_money(value, money):
    assert str(as_money(value)) == money


@pytest.mark.parametrize(("numerator", "denominator", "rate"), [
    (D(1), D(3), "0.3333"), (D(2), D(3), "0.6667"), (D(12345), D(100000), "0.1235"),
    (D(5), D(4), "1.2500"), (D(0), D(4), "0.0000"),
])
def test_ratio_rounds_half_up_to_four_places(numerator, denominator, rate):
    assert str(ratio(numerator, denominator)) == rate


@pytest.mark.parametrize("denominator", [D(0), None, D("0.00")])
def test_ratio_of_nothing_is_none(denominator):
    assert ratio(D(1), denominator) is None


def test_as_of_date_is_today_within_the_period_and_its_end_after_it():
    period = Period(2024, 2)
    assert as_of_date(period, today=date(2024, 5, 2)) == date(2024, 5, 2)
    assert as_of_date(period, today=date(2024, 6, 30)) == date(2024, 6, 30)
    assert as_of_date(period, today=date(2024, 7, 1)) == date(2024, 6, 30)
    assert as_of_date(Period(2020, 1)) == date(2020, 3, 31)  # today is long after


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2024, 3, 10), 0, date(2024, 3, 10)),
    (date(2024, 3, 31), 1, date(2024, 2, 29)),
    (date(2023, 5, 31), 3, date(2023, 2, 28)),
    (date(2024, 1, 15), 1, date(2023, 12, 15)),
    (date(2024, 12, 31), 12, date(2023, 12, 31)),
    (date(2024, 12, 1), 11, date(2024, 1, 1)),
    (date(2024, 2, 29), 24, date(2022, 2, 28)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.parametrize(("today", "expected"), [
    (date(2024, 1, 1), (2024, 1, False)), (date(2024, 3, 31), (2024, 1, False)),
    (date(2024, 4, 1), (2024, 2, False)), (date(2024, 12, 31), (2024, 4, False)),
])
def test_default_period_without_a_park_is_the_current_quarter(today, expected):
    assert default_period(None, today=today) == expected


@pytest.fixture
def plan_2023(park, industries):
    from projects.models import AnnualPlan, Project, ProjectStage

    project = Project.objects.create(park=park, code="Y-1", name="往年项目",
                                     industry=industries["other"], stage=ProjectStage.CONTINUING,
                                     total_investment=D("100"))
    AnnualPlan.objects.create(project=project, year=2023, planned_investment=D("100"))
    return project


@pytest.mark.parametrize(("month", "status", "quarter"), [
    (3, "approved", 1), (4, "submitted", 2), (6, "approved", 2), (12, "approved", 4),
    (9, "draft", 4),   # a draft does not count: no counted report, the whole year
])
def test_default_period_falls_back_to_the_last_reported_quarter(plan_2023, park, staff_user,
                                                                month, status, quarter):
    from projects.models import ProgressReport

    ProgressReport.objects.create(project=plan_2023, year=2023, month=month, status=status,
                                  completed_investment=D("1"), created_by=staff_user)
    assert default_period(park, today=date(2024, 2, 1)) == (2023, quarter, True)


def test_default_period_ignores_other_parks_and_later_years(plan_2023, park, staff_user):
    from projects.models import ProgressReport

    # Plans of this year (for the park) win; a park with no plans at all keeps today.
    assert default_period(park, today=date(2023, 8, 1)) == (2023, 3, False)
    other = Park.objects.create(name="空园区", slug="empty", county="县", city="市", province="省")
    assert default_period(other, today=date(2024, 2, 1)) == (2024, 1, False)
    ProgressReport.objects.create(project=plan_2023, year=2022, month=3, status="approved",
                                  completed_investment=D("1"), created_by=staff_user)
    assert default_period(park, today=date(2024, 2, 1)) == (2023, 4, True)


def test_to_jsonable():
    from datetime import datetime

    value = {"a": D("1.50"), "b": [date(2024, 3, 5), (D("1E+2"), 3)], "c": None, "d": "x",
             "e": datetime(2024, 3, 5, 8, 30), "f": True}
    assert to_jsonable(value) == {"a": "1.50", "b": ["2024-03-05", ["100", 3]], "c": None,
                                  "d": "x", "e": "2024-03-05T08:30:00", "f": True}


def test_figure_differences_on_whole_numbers_and_keys_that_appear():
    published = {"projects_planned": 4, "talents": {"phd": 1}, "gone": "2.00", "flag": True,
                 "targets": {"x": 1}, "name": "甲", "same": [1, 2]}
    current = {"projects_planned": 5, "talents": {"phd": 1, "master": 3}, "flag": False,
               "targets": {"x": 2}, "name": "乙", "same": [1, 2], "rate": None}
    changes = figure_differences(published, current)
    assert list(changes) == sorted(changes)
    assert changes == {
        "projects_planned": {"published": 4, "current": 5, "delta": D(1)},
        "talents.master": {"published": None, "current": 3, "delta": None},
        "gone": {"published": "2.00", "current": None, "delta": None},
        "flag": {"published": True, "current": False, "delta": None},
        "name": {"published": "甲", "current": "乙", "delta": None},
    }


def test_figure_differences_take_the_kind_from_the_registry_not_the_text():
    changes = figure_differences(
        {"completed_ytd": "1.5", "major_projects": "n/a", "park_code": "1.5",
         "traffic_lights": {"red": D("1")}},
        {"completed_ytd": 2, "major_projects": "3", "park_code": "2.5",
         "traffic_lights": {"red": D("2")}})
    assert changes == {
        "completed_ytd": {"published": "1.5", "current": 2, "delta": D("0.5")},
        "major_projects": {"published": "n/a", "current": "3", "delta": None},
        # Undeclared: a string with a dot is not taken for an amount.
        "park_code": {"published": "1.5", "current": "2.5", "delta": None},
        "traffic_lights.red": {"published": D("1"), "current": D("2"), "delta": D("1")},
    }


def test_figure_differences_paths_of_nested_lists():
    changes = figure_differences({"monthly": [{"completed": "1"}, {"completed": "2"}]},
                                 {"monthly": [{"completed": "1"}, {"completed": "5"}]})
    assert changes == {"monthly.1.completed": {"published": "2", "current": "5",
                                               "delta": D(3)}}


def test_default_period_counts_only_this_parks_confirmed_plans_of_past_years(park, small_park,
                                                                             industries):
    """A draft plan for this year, another park's plan for this year and a plan for a later
    year are not "plans for this year": the page still falls back to 2024."""
    from parks.models import PlanStatus
    from projects.models import AnnualPlan, Project

    today = date(2026, 2, 1)
    project = Project.objects.get(park=park, code="A")
    AnnualPlan.objects.create(project=project, year=2026, planned_investment=D("10"),
                              status=PlanStatus.DRAFT)
    other = Park.objects.create(name="别的园区", slug="other")
    other_project = Project.objects.create(park=other, code="O", name="别的项目",
                                           industry=industries["other"],
                                           total_investment=D("100"))
    AnnualPlan.objects.create(project=other_project, year=2026, planned_investment=D("10"))
    AnnualPlan.objects.create(project=project, year=2027, planned_investment=D("10"))
    assert default_period(park, today=today) == (2024, 3, True)
