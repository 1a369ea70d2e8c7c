"""enterprises/services.py called directly: the services check the role and the park
themselves, and a refused call writes nothing (issue 17)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied

from enterprises import services
from enterprises.models import Demand, Enterprise, Relation, Visit
from parkportal.roles import LEADER, STAFF
from parks.models import Park
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(park, staff_user):
    enterprise = Enterprise.objects.create(park=park, name="服务测试企业",
                                           credit_code="91610728MA6YQ3W27J",
                                           relation=Relation.RESIDENT)
    enterprise.responsible.add(staff_user)
    return enterprise


@pytest.fixture
def demand(enterprise, staff_user):
    return services.create_demand(enterprise=enterprise, user=staff_user, description="用工需求")


@pytest.fixture
def outsider(db):
    """Staff of another park."""
    other = Park.objects.create(name="另一园区", slug="other", county="县", city="市",
                                province="省")
    return make_user("outsider", STAFF, other)


@pytest.fixture
def parkless_staff(db):
    user = User.objects.create_user(username="parkless", password="x")
    user.groups.add(Group.objects.get_or_create(name=STAFF)[0])
    return user


@pytest.fixture
def no_role(park):
    return make_user("plain", None, park)


REFUSED = ["leader", "no_role", "outsider", "parkless_staff"]


def test_staff_and_admin_log_visits_and_demands(enterprise, staff_user, admin_user):
    for user in (staff_user, admin_user):
        visit = services.log_visit(enterprise=enterprise, user=user, visited_on=date(2024, 3, 1),
                                   kind=Visit.Kind.ON_SITE,
                                   demand={"description": f"{user.username} 的诉求"})
        assert visit.staff == user
        assert Demand.objects.get(visit=visit).description == f"{user.username} 的诉求"


@pytest.mark.parametrize("persona", REFUSED)
def test_log_visit_refuses(enterprise, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.log_visit(enterprise=enterprise, user=user, visited_on=date(2024, 3, 1),
                           kind=Visit.Kind.ON_SITE, demand={"description": "不应写入"})
    assert not Visit.objects.exists()
    assert not Demand.objects.exists()


@pytest.mark.parametrize("persona", REFUSED)
def test_create_demand_refuses(enterprise, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.create_demand(enterprise=enterprise, user=user, description="不应写入")
    assert not Demand.objects.exists()


@pytest.mark.parametrize("persona", REFUSED)
def test_update_demand_refuses(demand, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.update_demand(demand=demand, user=user, status=Demand.Status.RESOLVED,
                               resolution="不应写入")
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN
    assert demand.resolution == ""
    assert demand.resolved_at is None


def test_a_leader_who_is_also_staff_may_log(enterprise, park):
    both = make_user("both", LEADER, park)
    both.groups.add(Group.objects.get(name=STAFF))
    both = User.objects.get(pk=both.pk)
    services.log_visit(enterprise=enterprise, user=both, visited_on=date(2024, 3, 1),
                       kind=Visit.Kind.ON_SITE)
    assert Visit.objects.filter(staff=both).count() == 1


def test_a_superuser_without_a_park_may_log_anywhere(enterprise):
    root = User.objects.create_superuser(username="root", password="x")
    services.log_visit(enterprise=enterprise, user=root, visited_on=date(2024, 3, 1),
                       kind=Visit.Kind.ON_SITE)
    assert Visit.objects.filter(staff=root).count() == 1


def test_update_demand_resolves_and_reopens(demand, staff_user):
    resolved = services.update_demand(demand=demand, user=staff_user,
                                      status=Demand.Status.RESOLVED, resolution=" 已解决 ")
    assert (resolved.status, resolved.resolution) == (Demand.Status.RESOLVED, "已解决")
    assert resolved.resolved_at is not None
    reopened = services.update_demand(demand=demand, user=staff_user, status=Demand.Status.OPEN)
    assert reopened.resolved_at is None
