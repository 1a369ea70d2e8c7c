"""Enterprise pages, visits and demands (SPEC §5: leaders view, staff and admins log)."""

from parkportal.once import new_token
from tests.permissions.matrix import DENIED, STAFF_RESP, Case, everyone, roles

LOGGERS_GET = roles(staff_resp=200, staff_other=200, leader=DENIED, admin=200)
# A valid form: recorded, then back to the enterprise's page.
LOGGERS_POST = roles(staff_resp=302, staff_other=302, leader=DENIED, admin=302)


def _visit(world):
    return {"visited_on": "2024-03-02", "kind": "on_site", "notes": "矩阵走访",
            "form_token": new_token()}


def _demand(world):
    return {"category": "other", "description": "矩阵诉求", "status": "open", "due_on": "",
            "assignee": world.users[STAFF_RESP].pk, "resolution": "", "form_token": new_token()}


def _demand_edit(world):
    return {**_demand(world), "description": "用工需求（已跟进）", "status": "in_progress"}


def _visits(world):
    from enterprises.models import Visit

    return sorted(Visit.objects.values_list("pk", "notes"))


def _demands(world):
    from enterprises.models import Demand

    return sorted(Demand.objects.values_list("pk", "description", "status"))

CASES = {
    "enterprises:list": Case(get=everyone(200), post=everyone(405)),
    "enterprises:coverage": Case(get=everyone(200), post=everyone(405)),
    "enterprises:demands": Case(get=everyone(200), post=everyone(405)),
    "enterprises:detail": Case(get=everyone(200, parkless=404), post=everyone(405),
                               kwargs=lambda w: {"pk": w.enterprise.pk}),
    "enterprises:visit_create": Case(get=LOGGERS_GET, post=LOGGERS_POST,
                                     kwargs=lambda w: {"pk": w.enterprise.pk},
                                     post_data=_visit, state=_visits),
    "enterprises:demand_create": Case(get=LOGGERS_GET, post=LOGGERS_POST,
                                      kwargs=lambda w: {"pk": w.enterprise.pk},
                                      post_data=_demand, state=_demands),
    "enterprises:demand_edit": Case(get=LOGGERS_GET, post=LOGGERS_POST,
                                    kwargs=lambda w: {"pk": w.demand.pk},
                                    post_data=_demand_edit, state=_demands),
}

# The park's industry mappings (national classification → chain): everyone reads, admins keep
# them; an empty form comes back with its errors (200), an admin's delete goes to the list.
MAPPING_ADMIN = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=200)
MAPPING_DELETES = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=302)


def _mapping(world):
    from enterprises.models import IndustryMapping
    from parks.models import Industry

    industry = Industry.objects.order_by("pk").first() or Industry.objects.create(
        name="矩阵产业", slug="matrix-industry")
    mapping = IndustryMapping.objects.get_or_create(
        park=world.park, national_code="C", defaults={"industry": industry})[0]
    return {"pk": mapping.pk}


CASES.update({
    "enterprises:industry_mapping_list": Case(get=everyone(200), post=everyone(405)),
    "enterprises:industry_mapping_detail": Case(get=everyone(200, parkless=404),
                                                post=everyone(405), kwargs=_mapping),
    "enterprises:industry_mapping_create": Case(get=MAPPING_ADMIN, post=MAPPING_ADMIN),
    "enterprises:industry_mapping_edit": Case(get=MAPPING_ADMIN, post=MAPPING_ADMIN,
                                              kwargs=_mapping),
    "enterprises:industry_mapping_delete": Case(get=MAPPING_ADMIN, post=MAPPING_DELETES,
                                                kwargs=_mapping),
})
