"""The home page: what is each person's to do. It sits above the apps (it reads projects,
enterprises, the dashboard and the reminders) so that no lower floor has to reach up."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dashboard.selectors import default_period, lagging_projects_from_rows
from dashboard.snapshots import dashboard_snapshot
from enterprises import selectors as enterprise_selectors
from enterprises.models import ImportBatch
from parkportal.periods import report_due_on
from parkportal.permissions import park_of, region_of, scope_to_park
from parkportal.roles import is_admin, is_leader, is_staff_member
from parks.models import Park
from projects import selectors as project_selectors


def _lagging(user, limit=20):
    """(year, quarter, red and yellow projects, worst first) by the dashboard's traffic lights,
    for the park the dashboard opens on (an admin without a park: the first park). The rows
    come from the dashboard's figures snapshot, so the home page and the dashboard share
    one computation while the data is unchanged."""
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
    user = request.user
    today = timezone.localdate()
    year, month = today.year, today.month
    context = {"year": year, "month": month, "period": f"{year}-{month:02d}",
               "today": today}
    if is_staff_member(user):
        backlogs = project_selectors.backlog_for(user, today=today)
        park = park_of(user)
        context.update(
            backlogs=[b for b in backlogs if not b.is_empty],
            reports_owed=sum(len(b.owed) for b in backlogs),
            this_month_due_on=report_due_on(year, month, park.report_due_day)
            if park is not None else None)
        context["my_demands"] = list(enterprise_selectors.open_demands_for(user)[:20])
        context["not_visited"] = list(enterprise_selectors.not_visited_recently(
            user, only_assigned_to=user)[:30])
        context["coverage"] = enterprise_selectors.coverage_counts(user)
    if is_leader(user) and park_of(user) is None:
        context["region"] = region_of(user)
    if is_leader(user) or is_admin(user):
        context["awaiting_review"] = list(project_selectors.reports_awaiting_review(user)[:30])
        context["lag_year"], context["lag_quarter"], context["lagging"] = _lagging(user)
    if is_admin(user):
        context["recent_imports"] = list(scope_to_park(ImportBatch.objects.all(), user)
                                         .select_related("created_by")[:10])
    return render(request, "home/home.html", context)
