"""The region roll-up: the parks' figures combined (amounts and counts summed, rates
recomputed from the sums), set-based, and `manage.py rollup --region`."""

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dashboard import figure_registry as registry
from dashboard.regions import combine, region_rollup
from dashboard.selectors import park_rollup, rollup_as_json, to_jsonable
from dashboard.services import close_quarter
from parkportal.money import ratio
from parks.selectors import parks_in_region
from projects.models import ProgressReport

IDENTITY = {"park", "park_name", "region", "region_name", "level", "parks"}

pytestmark = pytest.mark.django_db


def figure_part(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key not in IDENTITY}


def test_parks_in_region_at_any_depth(placed, regions):
    slugs = lambda region: sorted(parks_in_region(region).values_list("slug", flat=True))  # noqa: E731
    assert slugs(regions["county"]) == ["testpark"]
    assert slugs(regions["hanzhong"]) == ["testpark", "xixiang"]
    assert slugs(regions["ankang"]) == ["ankang-park"]
    assert slugs(regions["shaanxi"]) == ["ankang-park", "testpark", "xixiang"]


def test_a_region_of_one_park_has_the_park_figures(placed, regions):
    park = placed["park"]
    region = region_rollup(region=regions["county"], year=2024, quarter=2)
    assert to_jsonable(figure_part(region)) == figure_part(
        rollup_as_json(park=park, year=2024, quarter=2))
    assert [entry["park"] for entry in region["parks"]] == ["testpark"]
    assert region["region"] == "test-county" and region["level"] == "county"


def test_sums_and_rates_recomputed(placed, regions):
    one = park_rollup(park=placed["park"], year=2024, quarter=2)
    two = park_rollup(park=placed["xixiang"], year=2024, quarter=2)
    city = region_rollup(region=regions["hanzhong"], year=2024, quarter=2)
    assert city["annual_planned"] == one["annual_planned"] + two["annual_planned"] == D("11000.00")
    assert city["completed_ytd"] == D("3000.00") + D("333.33")
    assert city["projects_planned"] == 5
    assert city["traffic_lights"]["red"] == one["traffic_lights"]["red"] + two[
        "traffic_lights"]["red"]
    # Recomputed from the sums, not the sum (nor the mean) of the parks' rates.
    assert city["completion_rate"] == ratio(D("3333.33"), D("11000")) == D("0.3030")
    assert city["completion_rate"] != one["completion_rate"] + two["completion_rate"]
    assert city["time_progress"] == one["time_progress"] == D("0.5000")
    # Tables: rows matched by key, columns summed, the row's rate recomputed.
    bio = next(row for row in city["by_industry"] if row["industry"] == "biomedicine")
    assert bio["planned"] == D("5000.00") and bio["completed"] == D("1533.33")
    assert bio["completion_rate"] == ratio(D("1533.33"), D("5000"))
    q1 = city["quarters"][0]
    assert q1["completed"] == D("1000.00") + D("333.33")
    assert q1["completion_rate"] == ratio(q1["cumulative"], city["annual_planned"])
    # Thresholds differ between the parks: a region has none of its own.
    assert city["traffic_lights"]["thresholds"]["red_points"] is None
    # The parks, each with its own figures (no tables).
    assert {entry["park"]: entry["completion_rate"] for entry in city["parks"]} == {
        "testpark": one["completion_rate"], "xixiang": two["completion_rate"]}
    assert "monthly" not in city["parks"][0]
    province = region_rollup(region=regions["shaanxi"], year=2024, quarter=2)
    assert province["annual_planned"] == D("11700.00")
    assert len(province["parks"]) == 3


def test_every_declared_figure_combines(placed, regions):
    """combine() of one park reproduces every declared figure and table of the park."""
    figures = park_rollup(park=placed["park"], year=2024, quarter=2)
    combined = combine([figures])
    for declared in registry.FIGURES:
        assert registry.get_path(combined, declared.key) == registry.get_path(
            figures, declared.key), declared.key
    for table in registry.TABLES:
        assert combined[table.key] == figures[table.key], table.key


def test_set_based_query_count(placed, regions, django_assert_max_num_queries):
    """The same number of queries for one park and for three: grouped by park, not a loop."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        region_rollup(region=regions["county"], year=2024, quarter=2)
    with CaptureQueriesContext(connection) as three:
        region_rollup(region=regions["shaanxi"], year=2024, quarter=2)
    assert len(three.captured_queries) == len(one.captured_queries) <= 14


def test_published_figures_where_the_quarter_is_closed(placed, regions, leader):
    park = placed["park"]
    close_quarter(park=park, year=2024, quarter=1, user=leader, note="")
    published = region_rollup(region=regions["hanzhong"], year=2024, quarter=1,
                              published=True)
    # A correction after the close changes the live figures, not the published ones.
    report_ = ProgressReport.objects.get(project__code="B", year=2024, month=2)
    ProgressReport.objects.filter(pk=report_.pk).update(completed_investment=D("1500"))
    from projects.models import ProjectYearProgress  # kept by triggers
    assert ProjectYearProgress.objects.get(project__code="B", year=2024).completed_m2 == D(
        "1500")
    again = region_rollup(region=regions["hanzhong"], year=2024, quarter=1, published=True)
    live = region_rollup(region=regions["hanzhong"], year=2024, quarter=1)
    assert again["completed_ytd"] == published["completed_ytd"]
    assert live["completed_ytd"] == published["completed_ytd"] + D("500")
    marks = {entry["park"]: entry["published"] for entry in again["parks"]}
    assert marks == {"testpark": True, "xixiang": False}
    assert {entry["park"]: entry["published"] for entry in live["parks"]} == {
        "testpark": False, "xixiang": False}


def test_rollup_command_for_a_region(placed, regions):
    out = StringIO()
    call_command("rollup", "--region", "test-county", "--year", "2024", "--quarter", "2",
                 "--format", "json", stdout=out)
    region = json.loads(out.getvalue())
    out = StringIO()
    call_command("rollup", "--park", "testpark", "--year", "2024", "--quarter", "2",
                 "--format", "json", stdout=out)
    park = json.loads(out.getvalue())
    assert figure_part(region) == figure_part(park)
    assert region["parks"][0]["park"] == "testpark"
    out = StringIO()
    call_command("rollup", "--region", "hanzhong", "--year", "2024", "--quarter", "2",
                 stdout=out)
    assert "汉中市" in out.getvalue() and "西乡园区" in out.getvalue()
    with pytest.raises(CommandError, match="no region"):
        call_command("rollup", "--region", "nowhere", "--year", "2024", "--quarter", "2")
    with pytest.raises(CommandError):
        call_command("rollup", "--region", "hanzhong", "--park", "testpark", "--year",
                     "2024", "--quarter", "2")


def test_a_region_without_parks(regions):
    empty = region_rollup(region=regions["ankang"], year=2024, quarter=2)
    assert empty["parks"] == [] and empty["annual_planned"] == 0
    assert empty["completion_rate"] is None


def test_a_quarter_closed_before_the_investment_figures_counts_without_them(placed):
    """A park's published figures from before issue 13 have no `investment`: the region sums
    the investment figures of the parks that have them, and everything else of all."""
    one = park_rollup(park=placed["park"], year=2024, quarter=2)
    two = park_rollup(park=placed["xixiang"], year=2024, quarter=2)
    old = registry.from_jsonable({k: v for k, v in to_jsonable(two).items()
                                  if k != "investment"})
    combined = combine([one, old])
    assert combined["investment"] == one["investment"]
    assert combined["annual_planned"] == one["annual_planned"] + two["annual_planned"]
    assert combine([old])["investment"] is None
