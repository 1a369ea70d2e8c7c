"""Who sees a region: its leaders (their region and those below it, every park under it,
read-only), admins; never a park's own users, never another region's leader."""

import pytest
from django.urls import reverse

from dashboard.services import close_quarter
from parks.models import QuarterClose
from tests.regions.conftest import region_user

pytestmark = pytest.mark.django_db
URL = "/dashboard/"


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_region_leader_reads_their_region_and_below(client, placed, city_leader, regions):
    response = get(client, city_leader, region="hanzhong", year=2024, quarter=2)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-park="testpark"' in html and 'data-park="xixiang"' in html
    assert "ankang-park" not in html
    assert get(client, city_leader, region="test-county").status_code == 200
    # JSON of the same figures.
    data = get(client, city_leader, region="hanzhong", year=2024, quarter=2,
               format="json").json()
    assert [p["park"] for p in data["parks"]] == ["testpark", "xixiang"]


def test_region_leader_never_sees_above_or_beside(client, placed, city_leader):
    assert get(client, city_leader, region="shaanxi").status_code == 404
    assert get(client, city_leader, region="ankang").status_code == 404
    assert get(client, city_leader, region="nowhere").status_code == 404
    assert get(client, city_leader, region="ankang", format="json").status_code == 404


def test_region_leader_drills_down_into_their_parks_only(client, placed, city_leader):
    response = get(client, city_leader, park="xixiang", year=2024, quarter=2)
    assert response.status_code == 200
    assert response.context["park"].slug == "xixiang"
    assert 'id="region-back"' in response.content.decode()
    assert not response.context["may_close"]
    assert get(client, city_leader, park="ankang-park").status_code == 404
    assert get(client, city_leader, park="ankang-park", format="json").status_code == 404
    # The park's workbook and month report: their parks yes, others no.
    assert client.get(reverse("dashboard:export"), {"park": "xixiang", "year": 2024,
                                                    "quarter": 2}).status_code == 200
    assert client.get(reverse("dashboard:export"), {"park": "ankang-park"}).status_code == 404


def test_region_leader_cannot_close_a_park_quarter(client, placed, city_leader):
    client.force_login(city_leader)
    response = client.post(reverse("dashboard:close"),
                           {"park": "testpark", "year": 2024, "quarter": 1})
    assert response.status_code == 403
    assert not QuarterClose.objects.exists()


def test_region_leader_lands_on_their_region(client, placed, city_leader):
    response = get(client, city_leader)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?region=hanzhong"


def test_park_users_never_see_a_region(client, placed, leader, staff_user):
    for user in (leader, staff_user):
        response = get(client, user, region="hanzhong")
        assert response.status_code in (403, 404), user
        assert get(client, user, region="test-county", format="json").status_code in (403, 404)
    # Their park dashboard is as before, closing included.
    response = get(client, leader, park="testpark", year=2024, quarter=1)
    assert response.status_code == 200 and response.context["may_close"]
    assert "region_back" not in response.context


def test_a_region_member_without_the_leader_role_sees_nothing(client, placed, regions):
    from parkportal.roles import STAFF

    user = region_user("region_staff", regions["hanzhong"], role=STAFF)
    assert get(client, user, region="hanzhong").status_code == 403  # not a leader
    assert get(client, user, park="testpark").status_code == 404


def test_province_leader_and_admin(client, placed, province_leader, region_admin, superuser,
                                   leader):
    data = get(client, province_leader, region="shaanxi", year=2024, quarter=2,
               format="json").json()
    assert sorted(p["park"] for p in data["parks"]) == ["ankang-park", "testpark", "xixiang"]
    assert get(client, province_leader, region="ankang").status_code == 200
    assert get(client, superuser, region="ankang").status_code == 200  # an operator
    # A park's own admin reads their park, not the regions above it (other parks' figures).
    assert get(client, region_admin, region="ankang").status_code == 404
    assert get(client, region_admin, region="hanzhong").status_code == 404


def test_published_parks_are_marked_on_the_page(client, placed, city_leader, leader):
    close_quarter(park=placed["park"], year=2024, quarter=1, user=leader, note="")
    html = get(client, city_leader, region="hanzhong", year=2024,
               quarter=1).content.decode()
    testpark = html[html.index('data-park="testpark"'):]
    assert 'data-figures="published"' in testpark[:testpark.index("</tr>")]
    xixiang = html[html.index('data-park="xixiang"'):]
    assert 'data-figures="live"' in xixiang[:xixiang.index("</tr>")]


def test_home_points_a_region_leader_to_the_region(client, placed, city_leader, leader):
    client.force_login(city_leader)
    html = client.get("/").content.decode()
    assert 'id="todo-region"' in html and "?region=hanzhong" in html
    client.force_login(leader)
    assert 'id="todo-region"' not in client.get("/").content.decode()
