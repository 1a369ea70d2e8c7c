"""parkportal/permissions.py called directly: every rule for every kind of user, including a
user without a park and users holding two roles (issue 17)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from enterprises.models import Enterprise, Relation
from parkportal import permissions as p
from parkportal.roles import ADMIN, LEADER, STAFF
from parks.models import Park, ParkMember
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def parkless(username, *roles_, **extra):
    user = User.objects.create_user(username=username, password="x", **extra)
    for role in roles_:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def fresh(user):
    """The user as the next request loads it (no cached roles)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def other_park(db):
    return Park.objects.create(name="另一园区", slug="other", county="县", city="市", province="省")


@pytest.fixture
def enterprises(park, other_park, staff_user):
    mine = Enterprise.objects.create(park=park, name="本园企业", credit_code="91610728MA6YQ3W27J",
                                     relation=Relation.RESIDENT)
    mine.responsible.add(staff_user)
    theirs = Enterprise.objects.create(park=other_park, name="他园企业",
                                       credit_code="91350100M000100Y43",
                                       relation=Relation.RESIDENT)
    unassigned = Enterprise.objects.create(park=park, name="无人负责企业",
                                           credit_code="91110000802100433B",
                                           relation=Relation.RESIDENT)
    return mine, theirs, unassigned


# --- park_of and scope_to_park ---------------------------------------------------------------


def test_park_of(park, staff_user):
    assert p.park_of(staff_user) == park
    assert p.park_of(parkless("nobody", STAFF)) is None
    assert p.park_of(AnonymousUser()) is None


@pytest.mark.parametrize("roles_", [(STAFF,), (LEADER,), (STAFF, LEADER), ()])
def test_a_user_without_a_park_sees_no_park(enterprises, roles_):
    user = parkless("nobody", *roles_)
    assert list(p.scope_to_park(Enterprise.objects.all(), user)) == []


def test_a_superuser_without_a_park_sees_every_park(enterprises):
    root = parkless("root", is_superuser=True)
    assert set(p.scope_to_park(Enterprise.objects.all(), root)) == set(enterprises)


def test_an_admin_without_a_park_sees_every_park(enterprises):
    assert set(p.scope_to_park(Enterprise.objects.all(), parkless("a", ADMIN))) == \
        set(enterprises)


@pytest.mark.parametrize("fixture", ["staff_user", "leader", "admin_user"])
def test_a_user_with_a_park_sees_only_that_park(enterprises, fixture, request):
    mine, _theirs, unassigned = enterprises
    user = request.getfixturevalue(fixture)
    assert set(p.scope_to_park(Enterprise.objects.all(), user)) == {mine, unassigned}


def test_scope_follows_the_named_field(enterprises, staff_user):
    from enterprises.models import Demand

    mine, theirs, _ = enterprises
    kept = Demand.objects.create(enterprise=mine, description="本园", created_by=staff_user)
    Demand.objects.create(enterprise=theirs, description="他园", created_by=staff_user)
    assert list(p.scope_to_park(Demand.objects.all(), staff_user, "enterprise__park")) == [kept]


def test_anonymous_sees_nothing(enterprises):
    assert list(p.scope_to_park(Enterprise.objects.all(), AnonymousUser())) == []


# --- role rules ------------------------------------------------------------------------------


def test_has_any_role(staff_user):
    assert p.has_any_role(staff_user)
    assert not p.has_any_role(parkless("nobody"))
    assert p.has_any_role(parkless("root", is_superuser=True))


def test_progress_editing(project, staff_user, other_staff, leader, admin_user, park):
    assert p.is_responsible_for(staff_user, project)
    assert not p.is_responsible_for(other_staff, project)
    assert p.can_edit_progress(staff_user, project)
    assert not p.can_edit_progress(other_staff, project)
    assert not p.can_edit_progress(leader, project)
    assert p.can_edit_progress(admin_user, project)
    # Responsible for it but holding no staff role: no.
    plain = make_user("plain", None, park)
    project.responsible.add(plain)
    assert not p.can_edit_progress(plain, project)
    # A leader who is also staff and responsible: the staff role lets them.
    both = make_user("both", LEADER, park)
    both.groups.add(Group.objects.get(name=STAFF))
    project.responsible.add(both)
    assert p.can_edit_progress(fresh(both), project)


def test_reviewing(staff_user, leader, admin_user, park):
    assert not p.can_review_reports(staff_user)
    assert p.can_review_reports(leader)
    assert p.can_review_reports(admin_user)
    assert p.can_review_reports(parkless("a", ADMIN))
    assert not p.can_review_reports(parkless("nobody"))


def test_visit_logging(staff_user, leader, admin_user, park):
    assert p.can_log_visits(staff_user)
    assert not p.can_log_visits(leader)
    assert p.can_log_visits(admin_user)
    assert p.can_log_visits(parkless("a", ADMIN))
    assert not p.can_log_visits(parkless("nobody"))
    both = make_user("both", LEADER, park)
    both.groups.add(Group.objects.get(name=STAFF))
    assert p.can_log_visits(fresh(both))


# --- personal data ---------------------------------------------------------------------------


def test_personal_data_rules(enterprises, staff_user, other_staff, leader, admin_user, park):
    mine, _theirs, unassigned = enterprises
    assert p.can_see_personal_data(staff_user, mine)
    assert not p.can_see_personal_data(staff_user, unassigned)
    assert not p.can_see_personal_data(other_staff, mine)
    assert not p.can_see_personal_data(leader, mine)
    assert p.can_see_personal_data(admin_user, unassigned)
    # Assigned, but a leader only: no.
    mine.responsible.add(leader)
    assert not p.can_see_personal_data(leader, mine)


@pytest.mark.parametrize(("fixture", "visible"), [
    ("staff_user", {"本园企业"}), ("other_staff", set()), ("leader", set()),
    ("admin_user", {"本园企业", "他园企业", "无人负责企业"}),
])
def test_personal_data_expression_and_ids_agree(enterprises, fixture, visible, request):
    user = request.getfixturevalue(fixture)
    annotated = Enterprise.objects.annotate(may=p.may_see_personal_data(user))
    assert {e.name for e in annotated if e.may} == visible
    assert {e.may for e in annotated} <= {True, False}  # never None
    ids = p.personal_data_enterprise_ids(user, Enterprise.objects.all())
    names = set(Enterprise.objects.values_list("name", flat=True)) if ids is None else \
        set(Enterprise.objects.filter(pk__in=ids).values_list("name", flat=True))
    assert names == visible
    assert (ids is None) == (fixture == "admin_user")


def test_personal_data_expression_follows_the_named_field(enterprises, staff_user):
    from enterprises.models import Demand

    mine, theirs, _ = enterprises
    Demand.objects.create(enterprise=mine, description="本园", created_by=staff_user)
    Demand.objects.create(enterprise=theirs, description="他园", created_by=staff_user)
    rows = Demand.objects.annotate(may=p.may_see_personal_data(staff_user, "enterprise"))
    assert {d.description: d.may for d in rows} == {"本园": True, "他园": False}


# --- the view mixins -------------------------------------------------------------------------


class Page(p.RoleRequiredMixin, View):
    def get(self, request):
        return HttpResponse("ok")


class LeaderPage(Page):
    allowed_roles = (LEADER,)


def call(view, user):
    request = RequestFactory().get("/page/")
    request.user = user
    return view.as_view()(request)


def test_role_required_sends_anonymous_users_to_log_in():
    response = call(Page, AnonymousUser())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("fixture", "page", "allowed"), [
    ("staff_user", Page, True), ("leader", Page, True), ("admin_user", Page, True),
    ("staff_user", LeaderPage, False), ("leader", LeaderPage, True),
    ("admin_user", LeaderPage, False),
])
def test_role_required(fixture, page, allowed, request):
    user = request.getfixturevalue(fixture)
    if allowed:
        assert call(page, user).content == b"ok"
    else:
        with pytest.raises(PermissionDenied):
            call(page, user)


def test_role_required_refuses_a_user_with_no_role(park):
    with pytest.raises(PermissionDenied):
        call(Page, make_user("plain", None, park))


def test_park_scoped_view(enterprises, staff_user):
    assert call(enterprises_view(), staff_user).content.decode() == "无人负责企业,本园企业"
    assert call(enterprises_view(), parkless("nobody", STAFF)).content.decode() == ""


def test_park_scoped_view_uses_its_park_field(enterprises, staff_user):
    from enterprises.models import Demand

    mine, theirs, _ = enterprises
    Demand.objects.create(enterprise=mine, description="本园", created_by=staff_user)
    Demand.objects.create(enterprise=theirs, description="他园", created_by=staff_user)
    assert call(demands_view(), staff_user).content.decode() == "本园"


def enterprises_view():
    from django.views.generic import ListView

    class View_(p.ParkScopedMixin, ListView):
        model = Enterprise

        def get(self, request):
            return HttpResponse(",".join(sorted(e.name for e in self.get_queryset())))

    return View_


def demands_view():
    from django.views.generic import ListView

    from enterprises.models import Demand

    class View_(p.ParkScopedMixin, ListView):
        model = Demand
        park_field = "enterprise__park"

        def get(self, request):
            return HttpResponse(",".join(sorted(d.description for d in self.get_queryset())))

    return View_


def test_park_members_are_unique_per_user(staff_user, other_park):
    # park_of relies on one membership per user.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ParkMember.objects.create(user=staff_user, park=other_park)


class EchoPage(p.RoleRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponse(f"{args}|{sorted(kwargs.items())}")


def test_role_required_passes_the_urls_arguments_on(park, leader):
    request = RequestFactory().get("/page/")
    request.user = leader
    response = EchoPage.as_view()(request, "ZB-01", month=3)
    assert response.content.decode() == "('ZB-01',)|[('month', 3)]"


# --- regions (issue 15): who reads which parks and regions, who acts for a park -----------

@pytest.fixture
def regions(db, park, other_park):
    from parks.models import Region

    shaanxi = Region.objects.create(slug="shaanxi", name="陕西省", level="province")
    hanzhong = Region.objects.create(slug="hanzhong", name="汉中市", level="city", parent=shaanxi)
    ankang = Region.objects.create(slug="ankang", name="安康市", level="city", parent=shaanxi)
    park.region = hanzhong
    park.save()
    other_park.region = ankang
    other_park.save()
    return {"shaanxi": shaanxi, "hanzhong": hanzhong, "ankang": ankang}


def region_member(username, region, *roles_):
    from parks.models import RegionMember

    user = parkless(username, *roles_)
    RegionMember.objects.create(user=user, region=region)
    return fresh(user)


def test_region_of(regions, leader):
    assert p.region_of(region_member("city", regions["hanzhong"], LEADER)) == regions["hanzhong"]
    assert p.region_of(fresh(leader)) is None  # a park member
    assert p.region_of(parkless("nobody", LEADER)) is None
    assert p.region_of(AnonymousUser()) is None


def test_visible_parks_and_regions_of_a_city_leader(regions, park, other_park):
    city = region_member("city", regions["hanzhong"], LEADER)
    assert list(p.visible_parks(city)) == [park]
    assert list(p.visible_regions(city)) == [regions["hanzhong"]]
    province = region_member("province", regions["shaanxi"], LEADER)
    assert set(p.visible_parks(province)) == {park, other_park}
    assert set(p.visible_regions(province)) == set(regions.values())
    # A region member without the leader role reads nothing; neither acts for a park.
    clerk = region_member("clerk", regions["hanzhong"], STAFF)
    assert not p.visible_parks(clerk).exists() and not p.visible_regions(clerk).exists()
    assert not p.acting_parks(city).exists() and not p.acting_parks(province).exists()


def test_visible_parks_and_regions_of_park_users_and_admins(regions, park, other_park, leader,
                                                             admin_user):
    # Park members, a park's own admin included: their park only, reading and acting.
    for user in (fresh(leader), fresh(admin_user)):
        assert list(p.visible_parks(user)) == [park]
        assert list(p.acting_parks(user)) == [park]
        assert not p.visible_regions(user).exists()
    operator = parkless("operator", ADMIN)  # an admin without a park: everything
    assert set(p.visible_parks(operator)) == {park, other_park}
    assert list(p.visible_regions(operator)) == sorted(regions.values(), key=lambda r: r.name)
    assert set(p.acting_parks(operator)) == {park, other_park}
    nobody = parkless("nobody", LEADER)
    assert not p.visible_parks(nobody).exists() and not p.acting_parks(nobody).exists()
    assert not p.visible_regions(nobody).exists()
