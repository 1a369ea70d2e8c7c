"""One record per intention (parkportal.once): the same form posted twice writes once."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from enterprises import services as enterprise_services
from enterprises.models import Demand, Visit
from parkportal import once
from parkportal.models import FormToken
from projects.models import ProgressReport
from tests.conftest import PASSWORD
from tests.staff.conftest import enterprise  # noqa: F401  (fixture)


def _visit_form(client, enterprise):  # noqa: F811
    """GET the visit form as a phone would and fill it in with the token it carries."""
    page = client.get(reverse("enterprises:visit_create", args=[enterprise.pk]))
    token = page.context["form"][once.FIELD].value()
    assert len(token) == 32 and f'value="{token}"' in page.content.decode()
    return {"visited_on": timezone.localdate().isoformat(), "kind": "on_site",
            "notes": "了解用工情况", "demand_category": "labour",
            "demand_description": "需要招聘普工20名", once.FIELD: token}


def test_the_same_visit_form_posted_twice_makes_one_visit_and_one_demand(
        client, staff_user, enterprise):  # noqa: F811
    client.login(username=staff_user.username, password=PASSWORD)
    data = _visit_form(client, enterprise)
    url = reverse("enterprises:visit_create", args=[enterprise.pk])
    first = client.post(url, data)
    assert first.status_code == 302
    visit = Visit.objects.get()
    again = client.post(url, data, follow=True)  # phone Back + save
    assert Visit.objects.count() == 1 and Demand.objects.count() == 1
    assert again.redirect_chain[-1][0].endswith(f"#visit-{visit.pk}")
    assert "已保存" in again.content.decode() and "需要招聘普工20名" in again.content.decode()
    token = FormToken.objects.get()
    assert token.record == visit and token.user == staff_user
    # A fresh form (new token) records a second visit: the token, not the content, decides.
    client.post(url, _visit_form(client, enterprise))
    assert Visit.objects.count() == 2


def test_a_post_without_a_token_writes_nothing_and_says_why(client, staff_user,
                                                            enterprise):  # noqa: F811
    client.login(username=staff_user.username, password=PASSWORD)
    data = _visit_form(client, enterprise)
    for bad in ("", "not-a-token"):
        response = client.post(reverse("enterprises:visit_create", args=[enterprise.pk]),
                               {**data, once.FIELD: bad})
        assert response.status_code == 200
        assert "请刷新页面" in response.content.decode()
    assert not Visit.objects.exists() and not FormToken.objects.exists()


def test_a_refused_save_leaves_the_token_unused(client, staff_user, enterprise):  # noqa: F811
    client.login(username=staff_user.username, password=PASSWORD)
    data = _visit_form(client, enterprise)
    url = reverse("enterprises:visit_create", args=[enterprise.pk])
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.MonkeyPatch.context() as mp:  # past the form's own check: the service refuses
        mp.setattr("enterprises.forms.VisitForm.clean_visited_on",
                   lambda form: form.cleaned_data["visited_on"])
        assert client.post(url, {**data, "visited_on": future}).status_code == 200
    assert not FormToken.objects.exists()
    assert client.post(url, data).status_code == 302  # corrected, same form: saved once
    assert Visit.objects.count() == 1


def test_the_same_demand_form_posted_twice_makes_one_demand(client, staff_user,
                                                            enterprise):  # noqa: F811
    client.login(username=staff_user.username, password=PASSWORD)
    url = reverse("enterprises:demand_create", args=[enterprise.pk])
    token = client.get(url).context["form"][once.FIELD].value()
    data = {"category": "land", "description": "需要增加用地50亩", "status": "open",
            "due_on": "", "assignee": staff_user.pk, "resolution": "", once.FIELD: token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Demand.objects.count() == 1


def test_the_same_monthly_form_posted_twice_saves_once(client, staff_user, project):
    client.login(username=staff_user.username, password=PASSWORD)
    url = reverse("projects:progress", kwargs={"code": project.code, "period": "2024-03"})
    token = client.get(url).context["form"][once.FIELD].value()
    data = {"version": "0", "completed_investment": "500.00", "fixed_asset_investment": "0",
            "stage": "new_start", "image_progress": "主体施工", "problems": "",
            "coordination_needed": "", "action": "submit", once.FIELD: token}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    # Without the token this would be a 409 "someone else saved it": it is the same intention.
    assert again.status_code == 200 and "已保存" in again.content.decode()
    report = ProgressReport.objects.get()
    assert report.version == 1 and report.status == "submitted"
    assert report.history.count() == 1


def test_another_users_token_is_refused(staff_user, other_staff, enterprise):  # noqa: F811
    token = once.new_token()
    first = once.once(token=token, user=staff_user, save=lambda: enterprise_services.log_visit(
        enterprise=enterprise, user=staff_user, visited_on=timezone.localdate(),
        kind="on_site"))
    assert first.created
    other = once.once(token=token, user=other_staff, save=lambda: pytest.fail("saved twice"))
    assert other.created is False and other.record is None
    assert Visit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_form_write_once(staff_user, enterprise):  # noqa: F811
    """Both posts find the token unused; the unique token row lets only one write."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the concurrent case needs PostgreSQL")
    token = once.new_token()
    second_started = threading.Event()
    outcomes = {}

    def save():
        second_started.wait(10)
        time.sleep(0.5)  # the second post is now waiting on the token row
        return enterprise_services.log_visit(enterprise=enterprise, user=staff_user,
                                             visited_on=timezone.localdate(), kind="on_site")

    def first():
        try:
            outcomes["first"] = once.once(token=token, user=staff_user, save=save)
        finally:
            connections.close_all()

    def second():
        try:
            time.sleep(0.3)  # the first post has claimed the token (not yet committed)
            second_started.set()
            outcomes["second"] = once.once(
                token=token, user=staff_user,
                save=lambda: enterprise_services.log_visit(
                    enterprise=enterprise, user=staff_user,
                    visited_on=timezone.localdate(), kind="on_site", notes="second"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert Visit.objects.count() == 1
    created = sorted(o.created for o in outcomes.values())
    assert created == [False, True]
    visit = Visit.objects.get()
    assert all(o.record == visit for o in outcomes.values())
