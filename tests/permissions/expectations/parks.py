"""The park's annual targets: everyone reads them, admins keep them."""

from decimal import Decimal

from tests.permissions.matrix import DENIED, Case, everyone, roles

ADMIN_ONLY = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=200)


def _target(world):
    from parks.models import ParkAnnualTarget

    target = ParkAnnualTarget.objects.get_or_create(
        park=world.park, year=2024, defaults={"annual_investment": Decimal("1000")})[0]
    return {"pk": target.pk}


def _due_day(world):
    from parks.models import Park

    return Park.objects.get(pk=world.park.pk).report_due_day


CASES = {
    # The park's settings (the report due day): its admins only.
    "parks:settings": Case(get=ADMIN_ONLY,
                           post=roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED,
                                      admin=302),
                           post_data={"report_due_day": "15"}, state=_due_day),
    "parks:target_list": Case(get=everyone(200), post=everyone(405)),
    "parks:target_detail": Case(get=everyone(200, parkless=404), post=everyone(405),
                                kwargs=_target),
    "parks:target_create": Case(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "parks:target_edit": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_target),
}
