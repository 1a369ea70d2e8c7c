"""Who may view and attach files on the project app's records (attachments.registry). Each
rule reuses the record page's own checks: its selector (another park: 404) and permission
functions."""

from django.urls import reverse

from attachments.registry import register
from parkportal.permissions import can_edit_progress, can_review_reports, scope_to_park
from parkportal.roles import is_admin
from parks.selectors import is_quarter_closed
from projects.models import LeadActivity, PreliminaryProcedure, ProgressReport, Project
from projects.selectors import visible_projects


def _project_url(project):
    return reverse("projects:detail", args=[project.code])


# The project page: anyone of the park sees its photos; admins and its responsible staff add.
register(
    Project,
    records=lambda user: visible_projects(user).select_related("park"),
    may_attach=can_edit_progress,
    park=lambda project: project.park,
    url=_project_url,
)


def _report_may_attach(user, report):
    """As editing the report: admins; responsible staff, not in a closed quarter."""
    if not can_edit_progress(user, report.project):
        return False
    return is_admin(user) or not is_quarter_closed(report.project.park, report.year,
                                                   report.month)


# A monthly report (形象进度 photos): opened by those who edit or review it (ProgressReportView).
register(
    ProgressReport,
    records=lambda user: ProgressReport.objects.filter(project__in=visible_projects(user))
    .select_related("project__park"),
    may_view=lambda user, report: can_edit_progress(user, report.project)
    or can_review_reports(user),
    may_attach=_report_may_attach,
    park=lambda report: report.project.park,
    url=lambda report: reverse("projects:progress", args=[report.project.code,
                                                         (report.year, report.month)]),
)

# 前期手续 materials: seen with the project; added by admins and the project's staff.
register(
    PreliminaryProcedure,
    records=lambda user: PreliminaryProcedure.objects.filter(
        project__in=visible_projects(user)).select_related("project__park"),
    may_attach=lambda user, procedure: can_edit_progress(user, procedure.project),
    park=lambda procedure: procedure.project.park,
    url=lambda procedure: _project_url(procedure.project),
)


def _activity_may_attach(user, activity):
    """Admins; the lead's responsible staff and the activity's author."""
    if is_admin(user):
        return True
    return user.pk in (activity.lead.responsible_id, activity.user_id)


# A lead follow-up's proof (证明资料); the lead pages link to their activities' files.
register(
    LeadActivity,
    records=lambda user: scope_to_park(LeadActivity.objects.all(), user, "lead__park")
    .select_related("lead__park"),
    may_attach=_activity_may_attach,
    park=lambda activity: activity.lead.park,
)
