"""Cross-app pages: the home page shows each person what is theirs to do."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from parkportal.permissions import park_of, scope_to_park
from parkportal.roles import is_admin, is_leader, is_staff_member


def _lagging(user, limit=20):
    """(year, quarter, red and yellow projects, worst first) by the dashboard's traffic lights,
    for the park the dashboard opens on (an admin without a park: the first park). The rows
    come from the dashboard's figures snapshot, so the home page and the dashboard share
    one computation while the data is unchanged."""
    from dashboard.selectors import default_period, lagging_projects_from_rows
    from dashboard.snapshots import dashboard_snapshot
    from parks.models import Park

    park = park_of(user) or (Park.objects.first() if is_admin(user) else None)
    year, quarter, _fell_back = default_period(park)
    if park is None:
        return year, quarter, []
    _figures, lagging = dashboard_snapshot(park=park, year=year, quarter=quarter)
    rows = lagging_projects_from_rows(lagging[:limit], year=year, quarter=quarter)
    for project in rows:
        project.year_planned = project.planned
    return year, quarter, rows


@login_required
@require_GET
def home(request):
    from enterprises import selectors as enterprise_selectors
    from enterprises.models import ImportBatch
    from projects import selectors as project_selectors

    user = request.user
    year, month = project_selectors.this_month()
    context = {"year": year, "month": month, "period": f"{year}-{month:02d}",
               "today": timezone.localdate()}
    if is_staff_member(user):
        context["missing_reports"] = list(
            project_selectors.projects_missing_report(user, year=year, month=month))
        context["my_demands"] = list(enterprise_selectors.open_demands_for(user)[:20])
        context["not_visited"] = list(enterprise_selectors.not_visited_recently(
            user, only_assigned_to=user)[:30])
        context["coverage"] = enterprise_selectors.coverage_counts(user)
    if is_leader(user) or is_admin(user):
        context["awaiting_review"] = list(project_selectors.reports_awaiting_review(user)[:30])
        context["lag_year"], context["lag_quarter"], context["lagging"] = _lagging(user)
    if is_admin(user):
        context["recent_imports"] = list(scope_to_park(ImportBatch.objects.all(), user)
                                         .select_related("created_by")[:10])
    return render(request, "home.html", context)
