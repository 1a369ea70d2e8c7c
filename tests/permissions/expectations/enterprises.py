"""Enterprise pages, visits and demands (SPEC §5: leaders view, staff and admins log)."""

from tests.permissions.matrix import DENIED, Case, everyone, roles

LOGGERS_GET = roles(staff_resp=200, staff_other=200, leader=DENIED, admin=200)
# An empty form comes back with its errors (200); nothing is written.
LOGGERS_POST = roles(staff_resp=200, staff_other=200, leader=DENIED, admin=200)

CASES = {
    "enterprises:list": Case(get=everyone(200), post=everyone(405)),
    "enterprises:coverage": Case(get=everyone(200), post=everyone(405)),
    "enterprises:demands": Case(get=everyone(200), post=everyone(405)),
    "enterprises:detail": Case(get=everyone(200), post=everyone(405),
                               kwargs=lambda w: {"pk": w.enterprise.pk}),
    "enterprises:visit_create": Case(get=LOGGERS_GET, post=LOGGERS_POST,
                                     kwargs=lambda w: {"pk": w.enterprise.pk}),
    "enterprises:demand_create": Case(get=LOGGERS_GET, post=LOGGERS_POST,
                                      kwargs=lambda w: {"pk": w.enterprise.pk}),
    "enterprises:demand_edit": Case(get=LOGGERS_GET, post=LOGGERS_POST,
                                    kwargs=lambda w: {"pk": w.demand.pk}),
}
