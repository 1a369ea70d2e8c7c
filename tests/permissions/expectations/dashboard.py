"""Dashboard (issue 4) — written by the staff-workflow engineer for the URLs that existed when
the matrix landed; the dashboard engineer owns this module from now on."""

from tests.permissions.matrix import DENIED, Case, everyone, roles


def _closes(world):
    from parks.models import QuarterClose

    return sorted(QuarterClose.objects.values_list("park_id", "year", "quarter"))


def _plans(world):
    from projects.models import AnnualPlan

    return sorted(AnnualPlan.objects.values_list("project_id", "year", "status"))


def _drafts_2025(world):
    from dashboard.rollover import rollover_year

    rollover_year(park=world.park, from_year=2024, to_year=2025)
    return {"year": 2025}


ADMIN_ONLY = roles(staff_resp=403, staff_other=403, leader=403, admin=200, parkless=403)
ADMIN_WRITES = roles(staff_resp=403, staff_other=403, leader=403, admin=302, parkless=403)

CASES = {
    # SPEC §5: every role sees the dashboards of its own park.
    "dashboard:index": Case(get=everyone(200, parkless=404), post=everyone(405)),
    "dashboard:export": Case(get=everyone(200, parkless=404), post=everyone(405)),
    # A month's report to print, as a page and as a PDF: whoever sees the park's dashboard.
    "dashboard:report": Case(get=everyone(200, parkless=404), post=everyone(405),
                             query="year=2024&month=3"),
    "dashboard:report_pdf": Case(get=everyone(200, parkless=404), post=everyone(405),
                                 query="year=2024&month=3"),
    # Closing a quarter: leaders and admins; POST only.
    "dashboard:close": Case(
        get=everyone(405),
        post=roles(staff_resp=DENIED, staff_other=DENIED, leader=302, admin=302),
        post_data=lambda w: {"park": w.park.slug, "year": "2024", "quarter": "1",
                             "note": "矩阵关账"},
        state=_closes),
    # Year rollover: park admins only. The page previews (writes nothing); POST drafts the
    # next year's plans; the confirm page publishes the drafts.
    "dashboard:rollover": Case(get=ADMIN_ONLY, post=ADMIN_WRITES,
                               post_data={"from_year": "2024"}, state=_plans),
    "dashboard:rollover_confirm": Case(get=ADMIN_ONLY, post=ADMIN_WRITES, kwargs=_drafts_2025,
                                       state=_plans),
}
