"""Scope: like the pages, a token reads its user's park; another park is 403."""

import pytest

from tests.conftest import make_user

LISTS = ["/api/v1/projects/", "/api/v1/annual-plans/", "/api/v1/monthly-reports/",
         "/api/v1/enterprises/", "/api/v1/parks/"]


@pytest.mark.parametrize("url", LISTS)
def test_another_park_is_403(client, leader, project, other_park, token_for, url):
    response = client.get(f"{url}?park=otherpark", **token_for(leader))
    assert response.status_code == 403
    assert "otherpark" in response.json()["detail"]


@pytest.mark.parametrize("url", LISTS)
def test_an_unknown_park_is_403_too(client, leader, project, token_for, url):
    """No oracle: an unknown slug answers as a park outside the scope does."""
    assert client.get(f"{url}?park=nosuchpark", **token_for(leader)).status_code == 403


def test_figures_and_package_of_another_park_are_403(client, leader, project, other_park,
                                                     token_for):
    headers = token_for(leader)
    assert client.get("/api/v1/figures/?park=otherpark&year=2024&quarter=1",
                      **headers).status_code == 403
    assert client.get("/api/v1/oc4ids/?park=otherpark&year=2024", **headers).status_code == 403


def test_without_a_park_the_lists_hold_the_users_park_only(client, staff_user, project,
                                                           other_park, token_for):
    body = client.get("/api/v1/projects/", **token_for(staff_user)).json()
    assert [item["code"] for item in body["items"]] == ["T-001"]


def test_staff_see_what_they_see_in_the_pages(client, other_staff, project, token_for):
    """Staff not responsible for a project still see it in the park's list (as the pages)."""
    body = client.get("/api/v1/projects/", **token_for(other_staff)).json()
    assert body["count"] == 1


def test_an_operator_without_a_park_reads_every_park(client, superuser, project, other_park,
                                                     token_for):
    headers = token_for(superuser)
    body = client.get("/api/v1/projects/", **headers).json()
    assert sorted(item["park"] for item in body["items"]) == ["otherpark", "testpark"]
    assert client.get("/api/v1/projects/?park=otherpark", **headers).json()["count"] == 1
    # Figures are for one park: name it.
    assert client.get("/api/v1/figures/?year=2024&quarter=1", **headers).status_code == 400
    assert client.get("/api/v1/figures/?park=otherpark&year=2024&quarter=1",
                      **headers).status_code == 200


def test_a_user_without_a_park_reads_nothing(client, park, project, token_for):
    from django.contrib.auth.models import Group, User

    parkless = User.objects.create_user("parkless")
    parkless.groups.add(Group.objects.get_or_create(name="staff")[0])
    headers = token_for(parkless)
    assert client.get("/api/v1/projects/", **headers).json()["count"] == 0
    assert client.get("/api/v1/projects/?park=testpark", **headers).status_code == 403


def test_a_park_admin_reads_their_park_only(client, admin_user, project, other_park,
                                            token_for):
    """The same rule as the list pages (parkportal.permissions.scope_to_park)."""
    headers = token_for(admin_user)
    assert client.get("/api/v1/projects/?park=otherpark", **headers).status_code == 403


def test_a_park_user_may_not_read_a_region(client, leader, project, token_for):
    from parks.models import Region

    Region.objects.create(slug="hanzhong", name="汉中市", level="city")
    response = client.get("/api/v1/projects/?region=hanzhong", **token_for(leader))
    assert response.status_code == 403
    assert client.get("/api/v1/projects/?region=nosuchregion",
                      **token_for(leader)).status_code == 403


def test_two_users_two_parks(client, park, other_park, project, token_for):
    from parkportal.roles import LEADER

    theirs = make_user("leader_other", LEADER, other_park)
    body = client.get("/api/v1/projects/", **token_for(theirs)).json()
    assert [item["code"] for item in body["items"]] == ["O-001"]
