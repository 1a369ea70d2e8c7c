"""The API for a region leader: the parks under their region, the region's figures; a region
outside theirs is 403 (the regions of tests/regions/conftest.py)."""

from parks.models import Region
from tests.dashboard.conftest import small_park  # noqa: F401 (fixture)
from tests.regions.conftest import placed, region_user, regions  # noqa: F401 (fixtures)


def test_a_city_leader_lists_the_projects_of_the_city_parks_only(client, placed, regions,  # noqa: F811
                                                                  token_for):
    headers = token_for(region_user("hz", regions["hanzhong"]))
    body = client.get("/api/v1/projects/?region=hanzhong&page_size=200", **headers).json()
    parks = {item["park"] for item in body["items"]}
    assert parks == {placed["park"].slug, "xixiang"}
    # Without a region: every park the leader may read, which is the same here.
    everything = client.get("/api/v1/projects/?page_size=200", **headers).json()
    assert {item["park"] for item in everything["items"]} == parks
    # Another city, or the province above theirs: 403.
    assert client.get("/api/v1/projects/?region=ankang", **headers).status_code == 403
    assert client.get("/api/v1/projects/?region=shaanxi", **headers).status_code == 403
    assert client.get("/api/v1/projects/?park=ankang-park", **headers).status_code == 403


def test_region_figures_are_the_rollup_command_object(client, placed, regions,  # noqa: F811
                                                      token_for):
    import json
    from io import StringIO

    from django.core.management import call_command

    headers = token_for(region_user("sx", regions["shaanxi"]))
    response = client.get("/api/v1/figures/?region=shaanxi&year=2024&quarter=1", **headers)
    assert response.status_code == 200
    body = response.json()
    out = StringIO()
    call_command("rollup", region="shaanxi", year=2024, quarter=1, format="json",
                 published=True, stdout=out)
    expected = json.loads(out.getvalue())
    assert body["annual_planned"] == expected["annual_planned"]
    assert body["completed_ytd"] == expected["completed_ytd"]
    assert sorted(p["park"] for p in body["parks"]) == sorted(
        [placed["park"].slug, "xixiang", "ankang-park"])
    assert Region.objects.get(slug="shaanxi").name == body["region_name"]
