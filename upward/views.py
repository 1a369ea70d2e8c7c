"""Upward reports (上报) for leaders: the page, the 1—N月 plan-against-completed workbook and
the OC4IDS project package. Thin views: figures from upward.selectors, parks from
upward.scope (another park is a 404, as on the dashboard)."""

import json

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from dashboard.selectors import default_period
from parkportal.permissions import RoleRequiredMixin, park_of
from parkportal.roles import ADMIN, LEADER, is_admin
from upward.forms import UpwardForm
from upward.oc4ids import project_package
from upward.scope import OutOfScope, parks_for_scope, scope_title
from upward.selectors import plan_vs_completed
from upward.workbook import filename_for, plan_vs_completed_bytes, title_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UpwardMixin(RoleRequiredMixin):
    """Leaders and admins; the scope is ?park= (default: the user's park) and, once regions
    land, ?region= (upward.scope)."""

    allowed_roles = (LEADER, ADMIN)

    def resolve(self):
        form = UpwardForm(self.request.GET)
        if not form.is_valid():
            raise BadRequest(" ".join(str(e) for errors in form.errors.values()
                                      for e in errors))
        user = self.request.user
        slug = form.cleaned_data["park"] or None
        region = self.request.GET.get("region") or None
        if slug is None and region is None:
            own = park_of(user)
            slug = own.slug if own else None
        try:
            parks = list(parks_for_scope(user, park=slug, region=region).order_by("name"))
        except OutOfScope as exc:
            raise Http404(str(exc)) from exc
        if not parks or (slug is None and region is None and not is_admin(user)):
            raise Http404(_("You are not a member of any park."))
        if slug is None and region is None:
            parks = parks[:1]  # an admin without a park: the first park
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        if year is None or month is None:
            default_year, default_quarter, _fell_back = default_period(parks[0])
            year = year or default_year
            month = month or (3 * default_quarter if year == default_year else 12)
        self.parks, self.region, self.year, self.month = parks, region, year, month
        self.title = scope_title(parks, region)
        return parks, year, month

    def query(self) -> str:
        scope = {"region": self.region} if self.region else {"park": self.parks[0].slug}
        return urlencode({**scope, "year": self.year, "month": self.month})


class UpwardReportView(UpwardMixin, TemplateView):
    template_name = "upward/index.html"

    def get(self, request, *args, **kwargs):
        self.resolve()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = plan_vs_completed(parks=self.parks, year=self.year, month=self.month)
        context.update(
            report=report, title=title_for(self.title, self.year, self.month),
            parks=self.parks, year=self.year, month=self.month, query=self.query(),
            park_choices=(parks_for_scope(self.request.user).order_by("name")
                          if is_admin(self.request.user) else None),
            form=UpwardForm(initial={"year": self.year, "month": self.month}))
        return context


class PlanVsCompletedView(UpwardMixin, View):
    """The workbook for download."""

    def get(self, request, *args, **kwargs):
        parks, year, month = self.resolve()
        response = HttpResponse(plan_vs_completed_bytes(
            parks=parks, year=year, month=month, title=title_for(self.title, year, month)),
            content_type=XLSX)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{filename_for(self.title, year, month)}")
        return response


class Oc4idsView(UpwardMixin, View):
    """The OC4IDS package for download (JSON, amounts in CNY)."""

    def get(self, request, *args, **kwargs):
        parks, year, month = self.resolve()
        package = project_package(parks=parks, year=year, month=month)
        response = HttpResponse(json.dumps(package, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        slugs = "-".join(park.slug for park in parks)
        response["Content-Disposition"] = (
            f'attachment; filename="oc4ids-{slugs}-{year}-{month:02d}.json"')
        return response
