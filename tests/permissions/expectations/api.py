"""The read API (/api/v1/) and the upward reports (issue 15).

The API authenticates by bearer token only: a signed-in session gets 401 like anybody without
a token (tests/api/ checks what each token reads); its schema is public. Writes do not exist
(405). The upward reports are for leaders and admins."""

from tests.permissions.matrix import LOGIN, Case, everyone, roles

API_RESOURCES = ("parks", "projects", "annual_plans", "monthly_reports", "enterprises",
                 "figures", "oc4ids")

CASES = {
    **{f"api:{name}": Case(get=everyone(401, anonymous=401), post=everyone(405, anonymous=405))
       for name in API_RESOURCES},
    # The schema is public and static: a POST gets it too (nothing is written).
    "api:openapi-json": Case(get=everyone(200, anonymous=200),
                             post=everyone(200, anonymous=200)),
    # No interactive docs page (it would load assets from a CDN): the root is a 404.
    "api:api-root": Case(get=everyone(404, anonymous=404), post=everyone(404, anonymous=404)),
}

LEADERS = roles(staff_resp=403, staff_other=403, leader=200, admin=200, parkless=403)
LEADERS_POST = roles(staff_resp=403, staff_other=403, leader=405, admin=405, parkless=403,
                     anonymous=LOGIN, leader_staff=405)
for name in ("upward:index", "upward:plan_vs_completed", "upward:oc4ids"):
    CASES[name] = Case(get=LEADERS, post=LEADERS_POST, query="year=2024&month=3")
