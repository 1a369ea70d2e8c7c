"""The stored region roll-up (snapshots.region_snapshot): served from the cache while
nothing of the region's parks changed, computed afresh after any write to one of them."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dashboard import snapshots
from dashboard.regions import region_rollup
from dashboard.selectors import to_jsonable
from dashboard.services import close_quarter
from parks.models import Park, Region
from projects.models import AnnualPlan, ProgressReport
from tests.dashboard.conftest import report

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2024, "quarter": 2}


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts from an empty per-process cache (never a shared Redis)."""
    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
    yield
    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()


@pytest.fixture
def stored(django_capture_on_commit_callbacks):
    """served(region): the stored roll-up, its on-commit store run as a request's would."""
    def served(region, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return snapshots.region_snapshot(region=region, **{**PERIOD, **kwargs})
    return served


def fresh(region, published=True):
    region.refresh_from_db()
    return to_jsonable(region_rollup(region=region, published=published, **PERIOD))


def test_second_read_is_served_from_the_cache_in_one_query(placed, regions, stored,
                                                           monkeypatch):
    city = regions["hanzhong"]
    first = stored(city)
    assert first == fresh(city)

    def must_not_compute(**kwargs):
        raise AssertionError("computed again although nothing changed")

    monkeypatch.setattr(snapshots, "region_rollup", must_not_compute)
    with CaptureQueriesContext(connection) as captured:
        assert stored(city) == first
    assert len(captured.captured_queries) == 1


def test_published_and_live_are_stored_apart(placed, regions, stored, leader):
    close_quarter(park=placed["park"], user=leader, note="", **PERIOD)
    ProgressReport.objects.filter(project__code="B", year=2024, month=2).update(
        completed_investment=D("1500"))
    city = regions["hanzhong"]
    published, live = stored(city), stored(city, published=False)
    assert published == fresh(city) and live == fresh(city, published=False)
    assert D(live["completed_ytd"]) == D(published["completed_ytd"]) + D("500")


def _move_xixiang(placed, regions):
    Park.objects.filter(pk=placed["xixiang"].pk).update(region=regions["ankang"])


def _move_ankang_city_under_hanzhong(placed, regions):
    # Not a write to any park: the park set under 汉中市 changes with the region tree.
    Region.objects.filter(pk=regions["ankang"].pk).update(parent=regions["hanzhong"],
                                                          level="county")


WRITES = {
    "report in one park": lambda p, r: report(
        p["xixiang"].projects.get(), 3, "50", "50"),
    "report amount updated": lambda p, r: ProgressReport.objects.filter(
        project__code="B", month=2).update(completed_investment=D("1500")),
    "plan changed": lambda p, r: AnnualPlan.objects.filter(
        project__code="XX-1", year=2024).update(planned_investment=D("1200")),
    "park renamed": lambda p, r: Park.objects.filter(pk=p["xixiang"].pk).update(
        name="西乡新区"),
    "park moved out": _move_xixiang,
    "region tree changed": _move_ankang_city_under_hanzhong,
    "region renamed": lambda p, r: Region.objects.filter(pk=r["hanzhong"].pk).update(
        name="汉中"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_in_the_region_is_seen_by_the_next_read(placed, regions, stored, write):
    city = regions["hanzhong"]
    before = stored(city)
    write(placed, regions)
    city.refresh_from_db()  # as the next request loads it
    after = stored(city)
    assert after == fresh(city)
    assert after != before


def test_closing_a_quarter_is_seen_by_the_next_read(placed, regions, stored, leader):
    city = regions["hanzhong"]
    ProgressReport.objects.filter(project__code="B", year=2024, month=2).update(
        completed_investment=D("1500"))
    before = stored(city)
    close_quarter(park=placed["park"], user=leader, note="", **PERIOD)
    assert {p["park"]: p["published"] for p in stored(city)["parks"]} == {
        "testpark": True, "xixiang": False}
    # Editing the published figures (the admin can) is seen too.
    from parks.models import QuarterClose
    close = QuarterClose.objects.get(park=placed["park"], **PERIOD)
    close.published_figures = {**close.published_figures, "completed_ytd": "1.00"}
    close.save()
    after = stored(city)
    assert after == fresh(city) and after != before
    assert D(after["completed_ytd"]) == D("1.00") + D("333.33")


def test_a_rolled_back_write_leaves_nothing_stored(placed, regions, stored):
    """Figures read inside a transaction that wrote and then rolled back are not kept."""
    city = regions["hanzhong"]
    before = stored(city)
    with pytest.raises(RuntimeError), transaction.atomic():
        ProgressReport.objects.filter(project__code="B", month=2).update(
            completed_investment=D("9999"))
        assert D(stored(city)["completed_ytd"]) != D(before["completed_ytd"])
        raise RuntimeError("rolled back")
    assert stored(city) == before == fresh(city)


def test_the_page_json_and_api_serve_the_stored_figures(client, placed, regions, stored,
                                                        django_capture_on_commit_callbacks):
    from api.services import create_token
    from tests.api.conftest import bearer
    from tests.regions.conftest import region_user

    user = region_user("hz_reader", regions["hanzhong"])
    client.force_login(user)
    url = "/dashboard/?region=hanzhong&year=2024&quarter=2&format=json"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url).json()
    assert page == fresh(regions["hanzhong"])
    report(placed["xixiang"].projects.get(), 4, "10", "10")
    with django_capture_on_commit_callbacks(execute=True):
        page_after = client.get(url).json()
    assert page_after == fresh(regions["hanzhong"]) != page
    headers = bearer(create_token(user=user)[1])
    api = client.get("/api/v1/figures/?region=hanzhong&year=2024&quarter=2", **headers)
    assert api.status_code == 200 and api.json() == page_after
    html = client.get("/dashboard/?region=hanzhong&year=2024&quarter=2")
    assert html.status_code == 200



def test_a_caller_changing_its_object_leaves_the_stored_one(
        placed, regions, stored, django_capture_on_commit_callbacks):
    """Inside a transaction the object is stored at commit: a change made before then by the
    caller is not stored."""
    city = regions["hanzhong"]
    with django_capture_on_commit_callbacks(execute=True):
        first = snapshots.region_snapshot(region=city, **PERIOD)
        first["completed_ytd"] = "0.00"
        first["parks"].clear()
    assert stored(city) == fresh(city)
