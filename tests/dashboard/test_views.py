"""The dashboard page, its JSON (same object as `manage.py rollup --format json`), access."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.models import FiguresSnapshot
from parks.models import Park
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/dashboard/"


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_user_without_role_is_refused(client, park):
    client.force_login(make_user("nobody", None, park))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["leader", "admin_user", "staff_user"])
def test_roles_see_the_page(client, request, small_park, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL, {"park": "testpark", "year": 2024, "quarter": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "项目甲" in html and 'href="/projects/A/"' in html   # lagging project linked
    assert ('id="close-quarter-button"' in html) == (persona != "staff_user")


def test_json_equals_the_rollup_command(client, leader, small_park):
    client.force_login(leader)
    response = client.get(URL, {"park": "testpark", "year": 2024, "quarter": 2,
                                "format": "json"})
    assert response.status_code == 200
    out = StringIO()
    call_command("rollup", park="testpark", year=2024, quarter=2, format="json", stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["completed_ytd"] == "3000.00"


def test_other_park_is_not_found_for_a_leader(client, leader, small_park):
    Park.objects.create(name="别的园区", slug="other")
    client.force_login(leader)
    assert client.get(URL, {"park": "other", "format": "json"}).status_code == 404


def test_an_operator_may_choose_any_park_a_parks_admin_only_theirs(client, admin_user,
                                                                     superuser, small_park):
    Park.objects.create(name="别的园区", slug="other")
    query = {"park": "other", "year": 2024, "quarter": 1, "format": "json"}
    client.force_login(superuser)  # an admin without a park
    response = client.get(URL, query)
    assert response.status_code == 200 and response.json()["park"] == "other"
    client.force_login(admin_user)  # the admin of testpark
    assert client.get(URL, query).status_code == 404
    assert client.get(URL, {**query, "park": "testpark"}).json()["park"] == "testpark"


def test_invalid_period_is_a_bad_request_for_json(client, leader, small_park):
    client.force_login(leader)
    response = client.get(URL, {"park": "testpark", "year": "abc", "format": "json"})
    assert response.status_code == 400


def test_default_period_falls_back_and_says_so(client, leader, small_park):
    client.force_login(leader)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["year"] == 2024
    assert 'id="fallback-note"' in response.content.decode()


def _page_queries(client, params, *, stored: bool) -> int:
    """Queries of one dashboard request, with the figures snapshot stored or not."""
    if not stored:
        FiguresSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured.captured_queries)


def test_page_queries_do_not_depend_on_data_size(client, leader, small_park):
    client.force_login(leader)
    params = {"park": "testpark", "year": 2024, "quarter": 2}
    client.get(URL, params)
    small = (_page_queries(client, params, stored=False),
             _page_queries(client, params, stored=True))
    call_command("generate_demo", park="testpark", projects=60, enterprises=200, talents=20,
                 years=2, end_year=2024, stdout=StringIO(), reset=True)
    large = (_page_queries(client, params, stored=False),
             _page_queries(client, params, stored=True))
    assert small == large
    computed, from_snapshot = large
    assert computed <= 25
    assert from_snapshot <= 8 < computed
