"""Project pages: list (filters, sort, export), detail, monthly progress form and review."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, TemplateView, View
from django_filters.views import FilterView

from attachments.registry import rule_for
from attachments.selectors import attachments_by_record, photos_for, thumbnail_data_uri
from parkportal.audit import history_entries
from parkportal.forms import route_errors
from parkportal.generic_views import ObjectEditView
from parkportal.listing import ListPageMixin
from parkportal.once import once
from parkportal.pdf import PrintMixin
from parkportal.periods import next_month, previous_month, quarter_of
from parkportal.permissions import (
    RoleRequiredMixin,
    can_edit_progress,
    can_review_reports,
    is_responsible_for,
)
from parkportal.roles import ADMIN, LEADER, is_admin
from parks.models import PlanStatus
from parks.selectors import is_quarter_closed
from projects import selectors, services
from projects.filters import ProjectFilter
from projects.forms import (
    AnnualPlanForm,
    ProcedureForm,
    ProgressReportForm,
    ProjectForm,
    ReviewForm,
    SuspendForm,
)
from projects.models import (
    AnnualPlan,
    PreliminaryProcedure,
    ProgressReport,
    Project,
    ReportStatus,
)
from projects.tables import ProjectTable


class ProjectListView(RoleRequiredMixin, ListPageMixin, FilterView):
    """Three queries besides the framework's (parkportal.listing): the look-ups (filter choices
    and default year), the COUNT, the page."""

    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    export_filename = "projects"
    table_paginate_by = 25

    @cached_property
    def lookups(self):
        return selectors.ProjectListLookups(self.request.user)

    def get_year(self):
        try:
            return int(self.request.GET.get("year") or 0) or self.lookups.default_year()
        except ValueError:
            return self.lookups.default_year()

    def get_queryset(self):
        self.year = self.get_year()
        return selectors.project_rows(self.request.user, year=self.year)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user,
                "lookups": self.lookups}

    def get_table_kwargs(self):
        return {"year": self.year}

    def get_export_filename(self):
        return f"projects-{self.year}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        return context

    def get_table_data(self):
        # No .distinct(): no filter can repeat a project (responsible and year each match at
        # most one row per project), and DISTINCT would make the COUNT and the page compute
        # every subquery column for every filtered project.
        return super().get_table_data()


def _year_param(request, default):
    try:
        return int(request.GET.get("year") or default)
    except ValueError:
        return default


class ProjectDetailView(RoleRequiredMixin, DetailView):
    template_name = "projects/project_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "project"

    def get_queryset(self):
        return (selectors.visible_projects(self.request.user)
                .select_related("industry", "owner_enterprise", "park")
                .prefetch_related("responsible"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        year = _year_param(self.request, selectors.default_year(user))
        plan, months = selectors.year_by_month(project, year=year)
        now_year, now_month = selectors.this_month()
        reports = list(selectors.report_timeline(project))
        today = timezone.localdate()
        procedures = list(project.preliminary_procedures.all())
        materials = attachments_by_record(PreliminaryProcedure, [p.pk for p in procedures])
        for procedure in procedures:
            procedure.overdue = procedure.is_overdue(today)
            procedure.materials = materials.get(procedure.pk, [])
        # Photos of the monthly reports, for those who may open the reports themselves.
        report_rule = rule_for(ProgressReport)
        report_photos = []
        if reports and report_rule.viewable(user, reports[0]):
            by_report = attachments_by_record(ProgressReport, [r.pk for r in reports],
                                              kind="photo")
            report_photos = [(report, photo) for report in reports
                             for photo in by_report.get(report.pk, [])]
        context.update(
            year=year,
            years=sorted({p.year for p in project.annual_plans.all()} | {year}),
            summary=selectors.project_summary(project, year=year),
            plan=plan,
            months=months,
            reports=reports,
            procedures=procedures,
            report_photos=report_photos,
            draft_plan=project.annual_plans.filter(year=year, status=PlanStatus.DRAFT).first()
            if is_admin(user) and plan is None else None,
            overdue_procedures=sum(p.overdue for p in procedures),
            can_upkeep=is_admin(user),
            can_edit=can_edit_progress(user, project),
            can_review=can_review_reports(user),
            current_period=f"{now_year}-{now_month:02d}",
            history=history_entries(
                [project.history.all(),
                 ProgressReport.history.filter(project_id=project.pk),
                 project.annual_plans.model.history.filter(project_id=project.pk),
                 project.preliminary_procedures.model.history.filter(project_id=project.pk)],
                label=_history_label, limit=60),
        )
        return context


SHEET_PHOTOS = 6  # the latest report's photos on the project sheet


class ProjectSheetView(PrintMixin, RoleRequiredMixin, DetailView):
    """The project sheet to print (issue 16): figures, plan vs completed by month, the latest
    physical progress (形象进度), procedures and problems; `sheet.pdf` is the same as a PDF.
    Whoever may open the project's page may print it (same queryset: 404 otherwise)."""

    template_name = "projects/sheet.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "project"
    get_queryset = ProjectDetailView.get_queryset

    def pdf_filename(self):
        return f"{self.object.code}-{self.year}.pdf"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        self.year = year = _year_param(self.request, selectors.default_year(user))
        plan, months = selectors.year_by_month(project, year=year)
        counted = [r for r in selectors.report_timeline(project)
                   if r.status in selectors.COUNTED_STATUSES]
        latest = next((r for r in counted if r.year == year), counted[0] if counted else None)
        context.update(
            year=year, plan=plan, months=months,
            summary=selectors.project_summary(project, year=year),
            latest=latest,
            problems=[r for r in counted if r.year == year
                      and (r.problems or r.coordination_needed)],
            procedures=list(project.preliminary_procedures.all()),
            photos=[{"src": thumbnail_data_uri(photo), "taken_at": photo.taken_at,
                     "caption": photo.caption or photo.original_name}
                    for photo in (photos_for(latest).order_by("-pk")[:SHEET_PHOTOS]
                                  if latest else [])],
            printed_on=timezone.localdate().isoformat(),
        )
        return context


def _history_label(record):
    meta = record.instance_type._meta
    if hasattr(record, "month") and hasattr(record, "year"):
        return _("Progress %(period)s") % {"period": f"{record.year}-{record.month:02d}"}
    if hasattr(record, "planned_investment"):
        return _("Annual plan %(year)s") % {"year": record.year}
    if hasattr(record, "kind") and meta.model_name == "preliminaryprocedure":
        return str(meta.verbose_name) + " · " + record.get_kind_display()
    return str(meta.verbose_name)


class ProgressReportView(RoleRequiredMixin, TemplateView):
    """GET shows the month's form (or the read-only report with review buttons for a
    leader); POST saves a draft or submits it."""

    template_name = "projects/progress_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year, self.month = kwargs["period"]

    def get_project(self):
        return get_object_or_404(selectors.visible_projects(self.request.user)
                                 .select_related("park", "industry"), code=self.kwargs["code"])

    def _load(self):
        self.project = self.get_project()
        user = self.request.user
        self.can_edit = can_edit_progress(user, self.project)
        self.can_review = can_review_reports(user)
        if not (self.can_edit or self.can_review):
            # Staff may not open another person's project form.
            raise PermissionDenied
        self.report = self.project.progress_reports.filter(year=self.year,
                                                           month=self.month).first()
        self.closed = is_quarter_closed(self.project.park, self.year, self.month)

    def is_future(self):
        return (self.year, self.month) > selectors.this_month()

    def editable(self):
        if not self.can_edit or self.is_future():
            return False  # a future month is shown with a message, never as a form
        if is_admin(self.request.user):
            return True
        if self.closed:
            return False
        return self.report is None or self.report.status in selectors.EDITABLE_BY_STAFF

    def initial(self):
        if self.report is not None:
            return {"version": self.report.version}
        initial = {"version": 0}
        previous = selectors.previous_report(self.project, year=self.year, month=self.month)
        if previous is not None:  # narrative carried over from the previous month
            initial.update(image_progress=previous.image_progress, problems=previous.problems,
                           coordination_needed=previous.coordination_needed,
                           stage=previous.stage)
        else:
            initial["stage"] = self.project.stage
        return initial

    def make_form(self, data=None, files=None):
        return ProgressReportForm(
            data, files, instance=self.report, initial=self.initial(),
            show_correction=self.closed and is_admin(self.request.user))

    def get(self, request, *args, **kwargs):
        self._load()
        form = self.make_form() if self.editable() else None
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self._load()
        if not self.can_edit:
            raise PermissionDenied
        form = self.make_form(request.POST, request.FILES)
        conflict = None
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.EDITABLE_FIELDS}
            submit = request.POST.get("action") == "submit"
            try:
                outcome = once(token=form.token, user=request.user, save=lambda: (
                    services.save_progress_report(
                        project=self.project, year=self.year, month=self.month,
                        user=request.user, data=data, version=form.cleaned_data["version"],
                        submit=submit,
                        correction_reason=form.cleaned_data.get("correction_reason", ""),
                        unusual_amount_reason=form.cleaned_data.get("unusual_amount_reason", ""),
                        photos=form.cleaned_data.get("photos") or ())))
            except services.ReportConflict as exc:
                conflict = exc.current
            except ValidationError as exc:
                route_errors(form, exc)
            else:
                if not outcome.created:  # the same form posted again (phone Back + save)
                    messages.info(request, _(
                        "This form was already saved; nothing was changed. The report as "
                        "saved is shown below."))
                    return redirect("projects:progress", code=self.project.code,
                                    period=(self.year, self.month))
                report = outcome.record
                messages.success(request, _("Progress for %(period)s submitted for review.")
                                 % {"period": report.period} if submit else
                                 _("Draft for %(period)s saved.") % {"period": report.period})
                return redirect("projects:progress", code=self.project.code,
                                period=(self.year, self.month))
        if conflict is not None:
            self.report = conflict
            messages.error(request, _(
                "Someone else saved this report while you were editing it (now version "
                "%(version)s, by %(user)s). Your changes were NOT saved. The current values are "
                "shown below; your entries are kept in the form so you can re-apply them.")
                % {"version": conflict.version if conflict else "—",
                   "user": _last_editor(conflict)})
            # Keep what the user typed, but on top of the version now in the database.
            data = request.POST.copy()
            data["version"] = conflict.version if conflict else 0
            form = self.make_form(data)
            form.is_valid()
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict),
                                       status=409 if conflict is not None else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        previous = selectors.previous_report(self.project, year=self.year, month=self.month)
        context.update(
            project=self.project, report=self.report, year=self.year, month=self.month,
            period=f"{self.year}-{self.month:02d}", quarter=quarter_of(self.month),
            closed=self.closed, can_edit=self.can_edit, can_review=self.can_review,
            editable=self.editable(), previous=previous,
            is_future=self.is_future(),
            cumulative=selectors.cumulative_completed(self.project, year=self.year,
                                                      month=self.month),
            is_responsible=is_responsible_for(self.request.user, self.project),
            review_form=ReviewForm(initial={"version": self.report.version})
            if self.report is not None and self.report.status == ReportStatus.SUBMITTED
            and self.can_review else None,
            neighbours=_neighbours(self.year, self.month),
        )
        return context


def _last_editor(report):
    if report is None:
        return "—"
    record = report.history.select_related("history_user").first()
    user = record.history_user if record else None
    return (user.get_full_name() or user.get_username()) if user else "—"


def _neighbours(year, month):
    prev = (year, month - 1) if month > 1 else (year - 1, 12)
    nxt = (year, month + 1) if month < 12 else (year + 1, 1)
    now = timezone.localdate()
    return {"prev": prev, "next": nxt if nxt <= (now.year, now.month) else None}


class ReviewView(RoleRequiredMixin, TemplateView):
    """POST only: a leader approves or returns a submitted report."""

    http_method_names = ["post"]

    def post(self, request, code, period):
        year, month = period
        project = get_object_or_404(selectors.visible_projects(request.user), code=code)
        if not can_review_reports(request.user):
            raise PermissionDenied
        report = get_object_or_404(ProgressReport, project=project, year=year, month=month)
        form = ReviewForm(request.POST)
        target = redirect("projects:progress", code=code, period=period)
        if not form.is_valid():
            messages.error(request, _("The review could not be saved."))
            return target
        try:
            if request.POST.get("action") == "return":
                services.return_report(report=report, user=request.user,
                                       version=form.cleaned_data["version"],
                                       reason=form.cleaned_data["reason"])
                messages.success(request, _("Report %(period)s returned to its author.")
                                 % {"period": report.period})
            else:
                services.approve_report(report=report, user=request.user,
                                        version=form.cleaned_data["version"])
                messages.success(request, _("Report %(period)s approved.")
                                 % {"period": report.period})
        except services.NotSubmitted as exc:
            return self.refuse(request, project, exc.current)
        except services.ReportConflict:
            messages.error(request, _("The report changed while you were reviewing it; "
                                      "nothing was saved. Please review the current version."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return target

    @staticmethod
    def refuse(request, project, report):
        """409: only a submitted report can be reviewed; the page shows its current state."""
        url = reverse("projects:progress", kwargs={"code": project.code,
                                                   "period": (report.year, report.month)})
        response = render(request, "projects/review_refused.html",
                          {"project": project, "report": report, "report_url": url},
                          status=409)
        response["X-Report-Status"] = report.status
        return response

    def http_method_not_allowed(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


# --- 报送情况: who reported a month, on time or late ---------------------------------------


class ReportingStatusView(RoleRequiredMixin, TemplateView):
    """Leaders (and admins) see for one month which projects reported on time, late, were
    returned or are missing, per project and per responsible person; the submitted ones can
    be approved together. Without a month: the last month that has ended."""

    allowed_roles = (LEADER, ADMIN)
    template_name = "projects/reporting_status.html"

    def get(self, request, *args, **kwargs):
        if "period" not in kwargs:
            today = timezone.localdate()
            return redirect("projects:reporting", period=previous_month(today.year,
                                                                        today.month))
        year, month = kwargs["period"]
        if (year, month) > selectors.this_month():
            raise Http404(_("%(period)s is in the future.") % {"period": f"{year}-{month:02d}"})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month = self.kwargs["period"]
        status = selectors.reporting_status(self.request.user, year=year, month=month)
        now = selectors.this_month()
        following = next_month(year, month)
        context.update(status=status, period=f"{year}-{month:02d}",
                       prev=previous_month(year, month),
                       next=following if following <= now else None,
                       today=timezone.localdate(),
                       approve_values=[f"{r.pk}:{r.version}" for r in status.submitted])
        return context


class ApproveAllView(RoleRequiredMixin, View):
    """POST only: approve the submitted reports the leader saw on 报送情况, each at the
    version shown (projects.services.approve_all)."""

    allowed_roles = (LEADER, ADMIN)
    http_method_names = ["post"]

    def post(self, request, period):
        reports = {}
        for value in request.POST.getlist("report"):
            pk, _sep, version = value.partition(":")
            if pk.isdigit() and version.isdigit():
                reports[int(pk)] = int(version)
        target = redirect("projects:reporting", period=period)
        if not reports:
            messages.warning(request, _("Nothing to approve."))
            return target
        outcome = services.approve_all(reports=reports, user=request.user)
        if outcome["approved"]:
            messages.success(request, ngettext(
                "%(n)d report approved.", "%(n)d reports approved.",
                len(outcome["approved"])) % {"n": len(outcome["approved"])})
        skipped = outcome["changed"] + outcome["not_submitted"]
        if skipped:
            messages.warning(request, _(
                "Not approved because they changed since the page was shown: %(list)s. "
                "Review them one by one.") % {"list": ", ".join(
                    f"{r.project.code} ({r.get_status_display()})" for r in skipped)})
        return target


# --- project upkeep by park admins (parkportal.generic_views) -----------------------------


class ProjectUpkeep:
    model = Project
    selector = selectors.visible_projects
    url_namespace = "projects"
    lookup = ("code", "code")

    def get_detail_url(self, obj):
        return reverse("projects:detail", args=[obj.code])


class ProjectEditView(ProjectUpkeep, ObjectEditView):
    """/projects/new/ and /projects/<code>/edit/."""

    form_class = ProjectForm
    service = services.save_project


class ProjectSuspendView(ProjectUpkeep, ObjectEditView):
    """停缓建: the reason and the date; the project's stage before is kept for the resume."""

    form_class = SuspendForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["instance"], kwargs["user"]
        return kwargs

    def write(self, data):
        return services.suspend_project(project=self.object, user=self.request.user,
                                        reason=data["reason"],
                                        suspended_on=data["suspended_on"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Suspend %(name)s") % {"name": self.object}}


class ProjectResumeView(ProjectSuspendView):
    form_class = forms.Form

    def write(self, data):
        return services.resume_project(project=self.object, user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("Resume %(name)s") % {"name": self.object}}


class ProjectChild(ProjectUpkeep):
    """An annual plan or a procedure: found through a project the viewer may see."""

    def load_parent(self):
        self.project = get_object_or_404(selectors.visible_projects(self.request.user),
                                         code=self.kwargs["code"])

    def get_queryset(self):
        return self.model.objects.filter(project=self.project)

    def get_list_url(self):
        return reverse("projects:detail", args=[self.project.code])

    def get_create_url(self):
        return None

    def get_detail_url(self, obj):
        return self.get_list_url()

    def write(self, data):
        return type(self).service(project=self.project, instance=self.object,
                                  user=self.request.user, data=data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verbose_name_plural"] = str(self.project)
        if self.object is None:
            context["title"] = _("Add %(name)s") % {"name": self.model._meta.verbose_name}
        return context


class AnnualPlanEditView(ProjectChild, ObjectEditView):
    model = AnnualPlan
    lookup = ("year", "year")
    form_class = AnnualPlanForm
    service = services.save_annual_plan

    def get_initial(self):
        if self.object is not None:
            return {}
        year = int(self.request.GET.get("year") or 0) if \
            (self.request.GET.get("year") or "").isdigit() else 0
        return {"year": year or timezone.localdate().year}

    def get_success_url_for(self, obj):
        return reverse("projects:detail", args=[self.project.code]) + f"?year={obj.year}"


class ProcedureEditView(ProjectChild, ObjectEditView):
    model = PreliminaryProcedure
    lookup = ("pk", "pk")
    form_class = ProcedureForm
    service = services.save_procedure
    template_name = "projects/procedure_form.html"  # the form, then its materials
