"""The Django admin for park admins (parkportal.admin_scoping, parkportal.admin,
parkportal.role_permissions): their park only, reports read-only, no version-lowering revert."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from enterprises.models import Enterprise
from parks.models import Park, ParkMember
from projects.models import ProgressReport, ReportStatus
from tests.conftest import make_user
from tests.imports.files import code

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_park(db):
    return Park.objects.create(name="别的园区", slug="otherpark", county="别县", city="汉中市",
                               province="陕西省")


@pytest.fixture
def two_parks(park, other_park):
    mine = Enterprise.objects.create(park=park, name="本园区企业", credit_code=code(1))
    theirs = Enterprise.objects.create(park=other_park, name="别园区企业", credit_code=code(2))
    return mine, theirs


def test_demo_admin1_is_a_park_admin_seeing_only_their_park(client, other_park):
    call_command("seed_report", demo_users=True, password="Demo-pass-2024", stdout=StringIO())
    Enterprise.objects.create(park=other_park, name="别园区企业", credit_code=code(9))
    admin1 = User.objects.get(username="admin1")
    assert not admin1.is_superuser and admin1.is_staff
    client.force_login(admin1)
    response = client.get("/admin/enterprises/enterprise/")
    assert response.status_code == 200
    shown = {e.park.slug for e in response.context["cl"].result_list}
    assert shown == {"zhenba"}
    assert response.context["cl"].result_count == Enterprise.objects.filter(
        park__slug="zhenba").count() > 0
    assert "别园区企业" not in response.content.decode()


def test_another_parks_records_are_not_found(client, admin_user, two_parks):
    mine, theirs = two_parks
    client.force_login(admin_user)
    assert client.get(reverse("admin:enterprises_enterprise_change",
                              args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:enterprises_enterprise_change",
                              args=[theirs.pk])).status_code == 302  # "doesn't exist" redirect
    assert client.get(reverse("admin:enterprises_enterprise_history",
                              args=[theirs.pk])).status_code == 404
    response = client.post(reverse("admin:enterprises_enterprise_delete", args=[theirs.pk]),
                           {"post": "yes"})
    assert Enterprise.objects.filter(pk=theirs.pk).exists()
    assert response.status_code in (302, 404)


def test_choices_are_limited_to_the_park(client, admin_user, park, other_park, staff_user):
    outsider = make_user("outsider", "staff", other_park)
    client.force_login(admin_user)
    form = client.get(reverse("admin:enterprises_enterprise_add")).context["adminform"].form
    assert list(form.fields["park"].queryset) == [park]
    users = set(form.fields["responsible"].queryset)
    assert staff_user in users and outsider not in users
    # A POST naming the other park is refused by the form.
    response = client.post(reverse("admin:enterprises_enterprise_add"), {
        "name": "越权企业", "credit_code": code(3), "park": other_park.pk,
        "relation": "resident", "status": "settled",
        "visits-TOTAL_FORMS": 0, "visits-INITIAL_FORMS": 0,
        "demands-TOTAL_FORMS": 0, "demands-INITIAL_FORMS": 0})
    assert response.status_code == 200
    assert not Enterprise.objects.filter(name="越权企业").exists()


def test_autocomplete_is_scoped(client, admin_user, two_parks):
    client.force_login(admin_user)
    response = client.get(reverse("admin:autocomplete"), {
        "term": "企业", "app_label": "enterprises", "model_name": "visit",
        "field_name": "enterprise"})
    assert response.status_code == 200
    names = {item["text"] for item in response.json()["results"]}
    assert names == {"本园区企业"}


def test_monthly_reports_are_read_only_in_the_admin(client, admin_user, superuser, project,
                                                    staff_user):
    report = ProgressReport.objects.create(
        project=project, year=2024, month=1, completed_investment=Decimal("100.00"),
        status=ReportStatus.SUBMITTED, created_by=staff_user, version=3)
    url = reverse("admin:projects_progressreport_change", args=[report.pk])
    for user in (admin_user, superuser):
        client.force_login(user)
        assert client.get(url).status_code == 200  # shown
        client.post(url, {"project": project.pk, "year": 2024, "month": 1,
                          "completed_investment": "999999", "status": "approved"})
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED
        assert report.completed_investment == Decimal("100.00") and report.version == 3
        assert client.get(reverse("admin:projects_progressreport_add")).status_code == 403


def test_a_history_revert_never_lowers_a_version(client, superuser, project, staff_user):
    from projects import services

    report = services.save_progress_report(
        project=project, year=2024, month=1, user=staff_user, version=0,
        data={"completed_investment": Decimal("100"), "fixed_asset_investment": Decimal("0")})
    report = services.save_progress_report(
        project=project, year=2024, month=1, user=staff_user, version=report.version,
        data={"completed_investment": Decimal("200"), "fixed_asset_investment": Decimal("0")})
    old = report.history.order_by("history_date").first()
    client.force_login(superuser)
    url = reverse("admin:projects_progressreport_simple_history",
                  args=[report.pk, old.history_id])
    response = client.post(url, {"project": project.pk, "year": 2024, "month": 1,
                                 "completed_investment": "100", "version": old.version})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.version == 2 and report.completed_investment == Decimal("200.00")


def test_park_admin_manages_only_their_parks_users(client, admin_user, park, other_park,
                                                   staff_user, superuser):
    outsider = make_user("outsider", "staff", other_park)
    ParkMember.objects.create(user=superuser, park=park)  # even one in the park
    client.force_login(admin_user)
    response = client.get(reverse("admin:auth_user_changelist"))
    shown = set(response.context["cl"].result_list)
    assert staff_user in shown and outsider not in shown and superuser not in shown
    form = client.get(reverse("admin:auth_user_change",
                              args=[staff_user.pk])).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert {g.name for g in form.fields["groups"].queryset} == {"staff", "leader", "admin"}
    # A user the park admin adds belongs to the park.
    response = client.post(reverse("admin:auth_user_add"), {
        "username": "newstaff", "password1": "Very-l0ng-passphrase", "usable_password": "true",
        "password2": "Very-l0ng-passphrase"})
    assert response.status_code == 302
    new = User.objects.get(username="newstaff")
    assert new.park_member.park == park and not new.is_superuser


def test_admin_group_permissions(admin_user):
    assert admin_user.has_perm("projects.change_project")
    assert admin_user.has_perm("enterprises.add_enterprise")
    assert admin_user.has_perm("projects.view_progressreport")
    assert not admin_user.has_perm("projects.change_progressreport")
    assert not admin_user.has_perm("parks.add_park")
    assert not admin_user.has_perm("parks.change_quarterclose")
    assert not admin_user.has_perm("auth.change_group")


def test_industry_mappings_in_the_admin_are_the_parks_own(client, admin_user, park, other_park,
                                                          industries):
    from enterprises.models import IndustryMapping

    mine = IndustryMapping.objects.create(park=park, national_code="C27",
                                          industry=industries["biomedicine"])
    theirs = IndustryMapping.objects.create(park=other_park, national_code="C13",
                                            industry=industries["other"])
    client.force_login(admin_user)
    response = client.get(reverse("admin:enterprises_industrymapping_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    assert client.get(reverse("admin:enterprises_industrymapping_change",
                              args=[theirs.pk])).status_code == 302  # "doesn't exist"
    response = client.post(reverse("admin:enterprises_industrymapping_add"), {
        "park": other_park.pk, "national_code": "C14", "national_name": "",
        "industry": industries["other"].pk})
    assert response.status_code == 200  # the other park is not a choice: the form is shown again
    assert not IndustryMapping.objects.filter(national_code="C14").exists()
