"""Figures against hand-computed values on the small park (see conftest)."""

from datetime import date
from decimal import Decimal as D

import pytest

from dashboard.selectors import (
    default_period,
    figure_differences,
    lagging_projects,
    park_rollup,
    project_rows,
    project_traffic_lights,
)

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
    with django_assert_num_queries(9):
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
