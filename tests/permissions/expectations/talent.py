"""Talent introductions, partners and innovation centres: everyone reads, admins write."""

from datetime import date

from tests.permissions.matrix import DENIED, Case, everyone, roles

ADMIN_ONLY = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=200)
# Admins' deletes redirect to the list; everyone else is refused before anything happens.
ADMIN_DELETES = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=302)


def _partner(world):
    from talent.models import PartnerOrganization

    return PartnerOrganization.objects.get_or_create(park=world.park, name="矩阵合作机构")[0]


def _center(world):
    from talent.models import InnovationCenter

    return InnovationCenter.objects.get_or_create(park=world.park, name="矩阵创新中心",
                                                  defaults={"kind": "local", "city": "镇巴"})[0]


def _talent(world):
    from talent.models import TalentIntroduction

    return TalentIntroduction.objects.get_or_create(
        park=world.park, person_name="矩阵人才",
        defaults={"degree": "phd", "introduced_on": date(2024, 1, 1)})[0]


def _pk(make):
    return lambda world: {"pk": make(world).pk}


# An empty form comes back with its errors (200): nothing is written.
CASES = {}
for prefix, make in (("", _talent), ("partner_", _partner), ("center_", _center)):
    CASES.update({
        f"talent:{prefix}list": Case(get=everyone(200), post=everyone(405)),
        f"talent:{prefix}detail": Case(get=everyone(200, parkless=404), post=everyone(405),
                                       kwargs=_pk(make)),
        f"talent:{prefix}create": Case(get=ADMIN_ONLY, post=ADMIN_ONLY),
        f"talent:{prefix}edit": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_pk(make)),
        f"talent:{prefix}delete": Case(get=ADMIN_ONLY, post=ADMIN_DELETES, kwargs=_pk(make)),
    })
