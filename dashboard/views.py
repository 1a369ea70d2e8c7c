"""The leader dashboard: key figures, charts, traffic lights, JSON, workbook, quarter close.

Thin views: figures come from dashboard.selectors, writes from dashboard.services.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from dashboard import presentation
from dashboard.exports import workbook_bytes, workbook_filename
from dashboard.forms import PeriodForm, QuarterCloseForm, RolloverForm
from dashboard.month_report import month_report
from dashboard.regions import default_region_period
from dashboard.rollover import confirm_year, drafts_of, rollover_year
from dashboard.selectors import (
    default_period,
    figure_differences,
    lagging_projects_from_rows,
    latest_planned_period,
)
from dashboard.services import close_quarter
from dashboard.snapshots import (
    LAGGING_LIMIT,
    dashboard_snapshot,
    region_snapshot,
    rollup_snapshot,
)
from parkportal.pdf import PrintMixin
from parkportal.permissions import (
    RoleRequiredMixin,
    acting_parks,
    can_review_reports,
    park_of,
    region_of,
    visible_parks,
    visible_regions,
)
from parkportal.roles import ADMIN, LEADER, is_admin
from parks.models import Park, QuarterClose
from projects.models import AnnualPlan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodMixin(RoleRequiredMixin):
    """Resolve park, year and quarter from the query string (defaults: the user's park, the
    current quarter, or the latest planned year if the current one has no plans)."""

    def resolve_period(self):
        user = self.request.user
        parks = visible_parks(user)
        form = PeriodForm(self.request.GET or None, parks=parks)
        park = year = quarter = None
        if form.is_bound and form.is_valid():
            park = form.cleaned_data.get("park")
            year = form.cleaned_data.get("year")
            quarter = form.cleaned_data.get("quarter")
        elif form.is_bound and "park" in form.errors and self.request.GET.get("park"):
            raise Http404(_("No such park."))
        if park is None:
            park = park_of(user) if not is_admin(user) else (park_of(user) or parks.first())
            if park is None:
                raise Http404(_("You are not a member of any park."))
        fell_back = False
        if year is None or quarter is None:
            default_year, default_quarter, fell_back = default_period(park)
            if year is None:
                year = default_year
            else:
                fell_back = False
            quarter = quarter or (default_quarter if year == default_year else 4)
        self.park, self.year, self.quarter, self.fell_back = park, year, quarter, fell_back
        self.period_errors = form.errors if form.is_bound and not form.is_valid() else {}
        # The selector always shows the period actually displayed.
        self.period_form = PeriodForm(
            initial={"park": park.slug, "year": year, "quarter": quarter}, parks=parks)
        return park, year, quarter

    def year_choices(self):
        """The current year and the five before it, plus the year shown (no query)."""
        current = timezone.localdate().year
        return sorted({*range(current - 5, current + 1), self.year}, reverse=True)

    def period_query(self, **extra) -> str:
        return urlencode({"park": self.park.slug, "year": self.year, "quarter": self.quarter,
                          **extra})


class DashboardView(PeriodMixin, TemplateView):
    template_name = "dashboard/index.html"

    def get(self, request, *args, **kwargs):
        if "region" in request.GET:
            return RegionDashboardView.as_view()(request, *args, **kwargs)
        region = region_of(request.user)
        if "park" not in request.GET and park_of(request.user) is None and region is not None:
            # A region leader's dashboard is their region's.
            return redirect(f"{reverse('dashboard:index')}?{urlencode({'region': region.slug})}")
        park, year, quarter = self.resolve_period()
        fmt = request.GET.get("format")
        if self.period_errors and fmt == "json":
            return JsonResponse({"errors": self.period_errors}, status=400)
        if fmt == "json":
            return JsonResponse(rollup_snapshot(park=park, year=year, quarter=quarter),
                                json_dumps_params={"ensure_ascii": False})
        if fmt == "xlsx":
            return ExportView.respond(park, year, quarter)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        park, year, quarter = self.park, self.year, self.quarter
        live, lagging_rows = dashboard_snapshot(park=park, year=year, quarter=quarter)
        lagging = lagging_projects_from_rows(lagging_rows, year=year, quarter=quarter)
        close = (QuarterClose.objects.select_related("closed_by")
                 .filter(park=park, year=year, quarter=quarter).first())
        figures = close.published_figures if close else live
        changes = figure_differences(close.published_figures, live) if close else {}
        form = self.period_form
        form.fields["year"].widget.choices = [(y, str(y)) for y in self.year_choices()]
        user = self.request.user
        may_close = (can_review_reports(user) and close is None
                     and figures["period_end"] < timezone.localdate().isoformat()
                     and acting_parks(user).filter(pk=park.pk).exists())
        region = region_of(user)
        if region is not None:  # a region leader drilled down: the way back up
            context["region_back"] = {"region": region, "url": "?" + urlencode(
                {"region": region.slug, "year": year, "quarter": quarter})}
        # A year without plans says so and offers the latest year with plans (one query).
        no_plans = not figures["projects_planned"]
        latest = latest_planned_period(park) if no_plans else None
        if latest is not None and latest[0] != year:
            context["latest_period"] = {
                "year": latest[0], "quarter": latest[1],
                "url": "?" + urlencode({"park": park.slug, "year": latest[0],
                                        "quarter": latest[1]})}
        context.update({
            "park": park, "year": year, "quarter": quarter, "fell_back": self.fell_back,
            "no_plans": no_plans,
            "period_form": form, "period_errors": self.period_errors,
            "show_park_choice": (is_admin(user) and park_of(user) is None) or region is not None,
            "figures": figures, "live": live, "close": close, "changes": changes,
            "change_rows": presentation.change_rows(changes),
            "corrections": (close.corrections.select_related("changed_by", "progress_report",
                                                             "progress_report__project")
                            if close else []),
            "cards": presentation.cards(figures, changes),
            "lights": presentation.light_summary(figures),
            "lagging": lagging,
            "lagging_rows": presentation.lagging_rows(lagging),
            "lagging_limit": LAGGING_LIMIT,
            "chart_data": presentation.chart_data(figures),
            "quarters": figures["quarters"],
            "by_industry": figures["by_industry"],
            "may_close": may_close,
            "query": self.period_query(),
        })
        return context


class RegionDashboardView(RoleRequiredMixin, TemplateView):
    """A region's dashboard (`/dashboard/?region=SLUG`): its parks' figures summed — each
    park's published figures where its quarter is closed, live otherwise, marked — the parks
    side by side, and a link down into each park's dashboard. Region leaders (their region
    and those below it) and admins; a park's own users never see it (404)."""

    template_name = "dashboard/region.html"
    allowed_roles = (LEADER, ADMIN)

    def get(self, request, *args, **kwargs):
        regions = visible_regions(request.user)
        self.region = regions.filter(slug=request.GET.get("region") or "").first()
        if self.region is None:
            raise Http404(_("No such region."))
        self.regions = regions
        form = PeriodForm(request.GET, parks=Park.objects.none())
        year = quarter = None
        if form.is_valid():
            year, quarter = form.cleaned_data.get("year"), form.cleaned_data.get("quarter")
        self.period_errors = {k: v for k, v in form.errors.items() if k != "park"}
        self.fell_back = False
        if year is None or quarter is None:
            default_year, default_quarter, self.fell_back = default_region_period(self.region)
            if year is None:
                year = default_year
            else:
                self.fell_back = False
            quarter = quarter or (default_quarter if year == default_year else 4)
        self.year, self.quarter = year, quarter
        self.figures = region_snapshot(region=self.region, year=year, quarter=quarter,
                                       published=True)
        if request.GET.get("format") == "json":
            if self.period_errors:
                return JsonResponse({"errors": self.period_errors}, status=400)
            return JsonResponse(self.figures, json_dumps_params={"ensure_ascii": False})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures, year, quarter = self.figures, self.year, self.quarter
        form = PeriodForm(initial={"year": year, "quarter": quarter},
                          parks=Park.objects.none())
        current = timezone.localdate().year
        form.fields["year"].widget.choices = [
            (y, str(y)) for y in sorted({*range(current - 5, current + 1), year}, reverse=True)]
        query = urlencode({"region": self.region.slug, "year": year, "quarter": quarter})
        context.update({
            "region": self.region, "regions": self.regions, "year": year, "quarter": quarter,
            "figures": figures, "period_form": form, "period_errors": self.period_errors,
            "fell_back": self.fell_back, "query": query,
            "ancestors": self.region.ancestors(),
            "cards": presentation.cards(figures, {}),
            "lights": presentation.light_summary(figures),
            "chart_data": presentation.chart_data(figures),
            "park_rows": presentation.park_comparison_rows(figures, year=year,
                                                           quarter=quarter),
            "published_parks": sum(1 for park in figures["parks"] if park["published"]),
        })
        return context


class ExportView(PeriodMixin, View):
    """The workbook: a summary sheet and the 重点项目进度表 sheet."""

    def get(self, request, *args, **kwargs):
        park, year, quarter = self.resolve_period()
        return self.respond(park, year, quarter)

    @staticmethod
    def respond(park, year, quarter):
        response = HttpResponse(workbook_bytes(park=park, year=year, quarter=quarter),
                                content_type=XLSX)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{workbook_filename(park, year, quarter)}")
        return response


class MonthReportView(PrintMixin, PeriodMixin, TemplateView):
    """A park's month as a print page in the 重点项目进度表 layout (issue 16); `report.pdf` is
    the same as a PDF. ?park=&year=&month= (defaults: the dashboard's park and period, its
    last month). Who may see the dashboard of a park may print its month; another park is a
    404, as on the dashboard."""

    template_name = "dashboard/month_report.html"

    def get(self, request, *args, **kwargs):
        park, year, quarter = self.resolve_period()
        raw = request.GET.get("month")
        if raw is None or raw == "":
            self.month = 3 * quarter
        elif raw.isdigit() and 1 <= int(raw) <= 12:
            self.month = int(raw)
        else:
            raise BadRequest(_("The month must be a number from 1 to 12."))
        if self.period_errors:
            raise BadRequest(" ".join(str(e) for errors in self.period_errors.values()
                                      for e in errors))
        return super().get(request, *args, **kwargs)

    def pdf_filename(self):
        return f"{self.park.name}-{self.year}-{self.month:02d}-重点项目进度表.pdf"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            report=month_report(park=self.park, year=self.year, month=self.month),
            query=urlencode({"park": self.park.slug, "year": self.year, "month": self.month}),
            printed_on=timezone.localdate().isoformat())
        return context


class QuarterCloseView(RoleRequiredMixin, View):
    """POST: a leader (or admin) closes park × year × quarter."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not can_review_reports(request.user):
            raise PermissionDenied
        form = QuarterCloseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The quarter could not be closed: invalid request."))
            return redirect("dashboard:index")
        park = acting_parks(request.user).filter(slug=form.cleaned_data["park"]).first()
        if park is None:
            if visible_parks(request.user).filter(slug=form.cleaned_data["park"]).exists():
                raise PermissionDenied  # a region leader reads a park but does not close it
            raise Http404
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        try:
            close_quarter(park=park, year=year, quarter=quarter, user=request.user,
                          note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(year)s Q%(quarter)s is closed; its figures are "
                                        "published.") % {"year": year, "quarter": quarter})
        query = urlencode({"park": park.slug, "year": year, "quarter": quarter})
        return redirect(f"{reverse('dashboard:index')}?{query}")




# --- year rollover (dashboard.rollover) ----------------------------------------------------


class RolloverMixin(RoleRequiredMixin):
    """Park admins only; the admin's own park (an admin without one picks it: ?park=)."""

    allowed_roles = (ADMIN,)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if is_admin(request.user):
            park = park_of(request.user)
            if park is None:
                slug = request.GET.get("park") or request.POST.get("park")
                park = Park.objects.filter(slug=slug).first() if slug else Park.objects.first()
            if park is None:
                raise Http404(_("You are not a member of any park."))
            self.park = park
        return super().dispatch(request, *args, **kwargs)


class RolloverView(RolloverMixin, TemplateView):
    """GET: what a rollover from the chosen year would create (a dry run); POST: run it."""

    template_name = "dashboard/rollover.html"

    def from_year(self):
        form = RolloverForm(self.request.GET or None)
        if form.is_bound and form.is_valid():
            return form.cleaned_data["from_year"], form
        latest = (AnnualPlan.objects.filter(AnnualPlan.published_q(), project__park=self.park)
                  .aggregate(year=Max("year"))["year"]) or timezone.localdate().year
        return latest, RolloverForm(initial={"from_year": latest})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, form = self.from_year()
        preview = rollover_year(park=self.park, from_year=year, to_year=year + 1,
                                user=self.request.user, dry_run=True)
        drafts, draft_target = drafts_of(self.park, year + 1)
        context.update(park=self.park, form=form, from_year=year, to_year=year + 1,
                       preview=preview, draft_count=drafts.count(), draft_target=draft_target)
        return context

    def post(self, request, *args, **kwargs):
        form = RolloverForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the year to roll over from."))
            return redirect("dashboard:rollover")
        year = form.cleaned_data["from_year"]
        result = rollover_year(park=self.park, from_year=year, to_year=year + 1,
                               user=request.user)
        messages.success(request, _(
            "%(plans)s draft plans and %(targets)s draft targets for %(year)s created. They "
            "count in no figure until you confirm them.")
            % {"plans": result.plans_created, "targets": result.targets_created,
               "year": year + 1})
        return redirect(f"{reverse('dashboard:rollover_confirm', args=[year + 1])}"
                        f"?{urlencode({'park': self.park.slug})}")


class RolloverConfirmView(RolloverMixin, TemplateView):
    """GET: the park's drafts of the year; POST: publish them all."""

    template_name = "dashboard/rollover_confirm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans, target = drafts_of(self.park, self.kwargs["year"])
        plans = list(plans)
        context.update(park=self.park, year=self.kwargs["year"], plans=plans, target=target,
                       unplanned=sum(1 for plan in plans if not plan.planned_investment))
        return context

    def post(self, request, year):
        try:
            plans, targets = confirm_year(park=self.park, year=year, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.get_full_path())
        messages.success(request, _("%(plans)s plans and %(targets)s targets for %(year)s "
                                    "confirmed: they now count in every figure.")
                         % {"plans": plans, "targets": targets, "year": year})
        return redirect(f"{reverse('dashboard:index')}?"
                        f"{urlencode({'park': self.park.slug, 'year': year, 'quarter': 1})}")
