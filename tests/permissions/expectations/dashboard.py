"""Dashboard (issue 4) — written by the staff-workflow engineer for the URLs that existed when
the matrix landed; the dashboard engineer owns this module from now on."""

from tests.permissions.matrix import DENIED, Case, everyone, roles


def _closes(world):
    from parks.models import QuarterClose

    return sorted(QuarterClose.objects.values_list("park_id", "year", "quarter"))

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
}
