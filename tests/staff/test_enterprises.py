"""Enterprises, visits, demands, coverage, personal data and exports."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Demand, Visit
from parkportal.once import new_token
from tests.conftest import PASSWORD


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_staff_logs_a_visit_with_a_demand(client, staff_user, enterprise):
    login(client, staff_user)
    response = client.post(reverse("enterprises:visit_create", args=[enterprise.pk]), {
        "visited_on": timezone.localdate().isoformat(), "kind": "on_site",
        "notes": "了解用工情况", "demand_category": "labour",
        "demand_description": "需要招聘普工20名",
        "demand_due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "form_token": new_token()})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.staff == staff_user and visit.enterprise == enterprise
    demand = Demand.objects.get()
    assert demand.visit == visit and demand.status == "open" and demand.assignee == staff_user


def test_visit_in_the_future_is_refused(client, staff_user, enterprise):
    login(client, staff_user)
    response = client.post(reverse("enterprises:visit_create", args=[enterprise.pk]), {
        "visited_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "kind": "on_site", "form_token": new_token()})
    assert "日期不能晚于今天" in response.content.decode()
    assert not Visit.objects.exists()


def test_demand_resolution_flow(client, staff_user, demand):
    login(client, staff_user)
    edit = reverse("enterprises:demand_edit", args=[demand.pk])
    data = {"category": "labour", "description": demand.description, "status": "resolved",
            "due_on": "", "assignee": staff_user.pk, "resolution": ""}
    response = client.post(edit, {**data, "form_token": new_token()})
    assert "请填写诉求的办理结果" in response.content.decode()
    client.post(edit, {**data, "status": "in_progress", "form_token": new_token()})
    demand.refresh_from_db()
    assert demand.status == "in_progress" and demand.resolved_at is None
    client.post(edit, {**data, "resolution": "已对接县人社局专场招聘会",
                       "form_token": new_token()})
    demand.refresh_from_db()
    assert demand.status == "resolved" and demand.resolved_at is not None
    assert [h.status for h in demand.history.order_by("history_date")] == [
        "open", "in_progress", "resolved"]


def test_leader_views_but_cannot_log(client, leader, enterprise):
    login(client, leader)
    assert client.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == 200
    response = client.post(reverse("enterprises:visit_create", args=[enterprise.pk]),
                           {"visited_on": timezone.localdate().isoformat(), "kind": "on_site"})
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_coverage_lists_served_enterprises_not_visited_in_7_days(client, leader, enterprise,
                                                                 other_enterprise, staff_user):
    login(client, leader)
    Visit.objects.create(enterprise=enterprise, staff=staff_user,
                         visited_on=timezone.localdate() - timedelta(days=7))
    page = client.get(reverse("enterprises:coverage"))
    names = [e.name for e in page.context["table"].data]
    assert names == [enterprise.name]  # other_enterprise was visited yesterday
    assert page.context["coverage"]["served"] == 2
    assert page.context["coverage"]["visited"] == 1


@pytest.mark.parametrize(("persona", "sees"), [("staff_user", True), ("other_staff", False),
                                               ("leader", False), ("admin_user", True)])
def test_contact_phone_only_for_assigned_staff_and_admins(client, request, persona, sees,
                                                          enterprise):
    login(client, request.getfixturevalue(persona))
    for url in (reverse("enterprises:detail", args=[enterprise.pk]),
                reverse("enterprises:list"), reverse("enterprises:list") + "?_export=csv"):
        response = client.get(url)
        body = response.content.decode("utf-8-sig")
        assert ("13900001111" in body) is sees, url
        assert ("赵六" in body) is sees, url


def test_history_hides_personal_fields_from_leader(client, leader, admin_user, enterprise):
    enterprise.contact_phone = "13700009999"
    enterprise.save()
    login(client, leader)
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "13700009999" not in page and "13900001111" not in page
    login(client, admin_user)
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "13700009999" in page and "13900001111" in page


def test_talent_names_hidden_from_leader(client, leader, staff_user, enterprise, park):
    from talent.models import TalentIntroduction

    TalentIntroduction.objects.create(park=park, person_name="孙博士", degree="phd",
                                      employer=enterprise,
                                      introduced_on=timezone.localdate())
    login(client, leader)
    assert "孙博士" not in client.get(reverse("enterprises:detail",
                                              args=[enterprise.pk])).content.decode()
    login(client, staff_user)
    assert "孙博士" in client.get(reverse("enterprises:detail",
                                          args=[enterprise.pk])).content.decode()


def test_other_park_enterprise_is_404(client, staff_user, enterprise):
    from parks.models import Park
    from tests.conftest import make_user

    outsider = make_user("outsider", "staff", Park.objects.create(name="别的园区", slug="x"))
    login(client, outsider)
    assert client.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == 404
    assert enterprise.name not in client.get(reverse("enterprises:list")).content.decode()
