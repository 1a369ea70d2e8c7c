"""Enterprise pages: list, detail, visit and demand forms, demands list, weekly coverage."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from enterprises import selectors, services
from enterprises.filters import DemandFilter, EnterpriseFilter, IndustryMappingFilter
from enterprises.forms import DemandForm, IndustryMappingForm, VisitForm
from enterprises.models import IndustryMapping
from enterprises.tables import DemandTable, EnterpriseTable, IndustryMappingTable
from parkportal.audit import history_entries
from parkportal.forms import route_errors
from parkportal.generic_views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Panel,
)
from parkportal.listing import ListPageMixin
from parkportal.once import once
from parkportal.permissions import RoleRequiredMixin, can_log_visits, can_see_personal_data
from parkportal.roles import ADMIN, STAFF

PERSONAL_FIELDS = ("contact_person", "contact_phone")


class EnterpriseLookupsMixin:
    """The page's look-ups (industry choices, coverage figures): one query, on first use."""

    @cached_property
    def lookups(self):
        return selectors.EnterpriseListLookups(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "lookups": self.lookups}


class EnterpriseListView(RoleRequiredMixin, EnterpriseLookupsMixin, ListPageMixin, FilterView):
    """Three queries besides the framework's (parkportal.listing): the look-ups, the COUNT,
    the page (which says per row whether the viewer may see the contact details)."""

    table_class = EnterpriseTable
    filterset_class = EnterpriseFilter
    template_name = "enterprises/enterprise_list.html"
    export_filename = "enterprises"
    table_paginate_by = 25

    def get_queryset(self):
        return selectors.enterprise_list(self.request.user)

    # No .distinct() on the table data: no filter repeats an enterprise ("visited" adds its
    # own), and DISTINCT would make the COUNT and the page compute every subquery per row.

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(can_log=can_log_visits(self.request.user),
                       coverage=self.lookups.coverage())
        return context


class EnterpriseDetailView(RoleRequiredMixin, DetailView):
    template_name = "enterprises/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_queryset(self):
        return selectors.visible_enterprises(self.request.user).select_related("industry",
                                                                               "park")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise, user = self.object, self.request.user
        personal = can_see_personal_data(user, enterprise)
        context.update(
            personal=personal,
            can_log=can_log_visits(user),
            visits=enterprise.visits.select_related("staff").prefetch_related("demands")[:30],
            demands=DemandTable(enterprise.demands.select_related("assignee", "enterprise"),
                                can_edit=can_log_visits(user), orderable=False,
                                exclude=("enterprise",)),
            talents=enterprise.talents.all(),
            projects=enterprise.projects.all(),
            responsible=enterprise.responsible.all(),
            history=history_entries(
                [enterprise.history.all(),
                 enterprise.visits.model.history.filter(enterprise_id=enterprise.pk),
                 enterprise.demands.model.history.filter(enterprise_id=enterprise.pk)],
                exclude_fields=() if personal else PERSONAL_FIELDS, limit=40),
        )
        return context


def already_saved(request, outcome, enterprise):
    """The same form posted again (phone Back + save): nothing new is written; show the record
    the first post saved."""
    record = outcome.record
    if record is None:
        messages.warning(request, _("This form was already used; nothing was saved. Open the "
                                    "form again to enter something new."))
        return redirect("enterprises:detail", pk=enterprise.pk)
    if record._meta.model_name == "visit":
        text = _("This visit (%(date)s) was already saved; nothing new was added.") % {
            "date": record.visited_on.isoformat()}
        anchor = f"#visit-{record.pk}"
    else:
        text = _("This demand was already saved; nothing new was added.")
        anchor = f"#demand-{record.pk}"
    messages.info(request, text)
    return redirect(reverse("enterprises:detail", kwargs={"pk": record.enterprise_id}) + anchor)


class VisitCreateView(RoleRequiredMixin, FormView):
    """Log a visit (and a demand raised at it). Laid out for a phone."""

    allowed_roles = (STAFF, ADMIN)
    form_class = VisitForm
    template_name = "enterprises/visit_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.enterprise = get_object_or_404(
                selectors.visible_enterprises(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            outcome = once(token=form.token, user=self.request.user, save=lambda: (
                services.log_visit(enterprise=self.enterprise, user=self.request.user,
                                   visited_on=form.cleaned_data["visited_on"],
                                   kind=form.cleaned_data["kind"],
                                   notes=form.cleaned_data["notes"],
                                   demand=form.demand_data())))
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        if not outcome.created:
            return already_saved(self.request, outcome, self.enterprise)
        messages.success(self.request, _("Visit to %(name)s recorded.")
                         % {"name": self.enterprise.name})
        return redirect("enterprises:detail", pk=self.enterprise.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(enterprise=self.enterprise, **kwargs)


class DemandCreateView(VisitCreateView):
    form_class = DemandForm
    template_name = "enterprises/demand_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs.setdefault("initial", {})["assignee"] = self.request.user.pk
        return kwargs

    def form_valid(self, form):
        data, user = form.cleaned_data, self.request.user

        def save():
            demand = services.create_demand(
                enterprise=self.enterprise, user=user,
                description=data["description"], category=data["category"],
                due_on=data["due_on"], assignee=data["assignee"])
            if data["status"] != demand.status:
                demand = services.update_demand(demand=demand, user=user,
                                                status=data["status"], due_on=data["due_on"],
                                                resolution=data["resolution"])
            return demand

        try:
            outcome = once(token=form.token, user=user, save=save)
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        if not outcome.created:
            return already_saved(self.request, outcome, self.enterprise)
        messages.success(self.request, _("Demand recorded."))
        return redirect("enterprises:detail", pk=self.enterprise.pk)


class DemandUpdateView(RoleRequiredMixin, FormView):
    allowed_roles = (STAFF, ADMIN)
    form_class = DemandForm
    template_name = "enterprises/demand_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.demand = get_object_or_404(selectors.visible_demands(request.user),
                                            pk=kwargs["pk"])
            self.enterprise = self.demand.enterprise
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.demand, "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            outcome = once(token=form.token, user=self.request.user, save=lambda: (
                services.update_demand(
                    demand=self.demand, user=self.request.user, status=data["status"],
                    due_on=data["due_on"], resolution=data["resolution"],
                    assignee=data["assignee"], category=data["category"],
                    description=data["description"])))
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        if not outcome.created:
            return already_saved(self.request, outcome, self.enterprise)
        messages.success(self.request, _("Demand updated."))
        return redirect("enterprises:detail", pk=self.enterprise.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(enterprise=self.enterprise, demand=self.demand,
                                        **kwargs)


class DemandListView(RoleRequiredMixin, ListPageMixin, FilterView):
    """Two queries besides the framework's: the COUNT and the page."""

    table_class = DemandTable
    filterset_class = DemandFilter
    template_name = "enterprises/demand_list.html"
    table_paginate_by = 25

    def get_queryset(self):
        return selectors.visible_demands(self.request.user)

    def get_table_kwargs(self):
        return {"can_edit": can_log_visits(self.request.user)}


class CoverageView(RoleRequiredMixin, EnterpriseLookupsMixin, ListPageMixin, FilterView):
    """The weekly round: served enterprises with no visit in the last 7 days. Three queries
    besides the framework's: the look-ups (with the coverage figures), the COUNT, the page."""

    table_class = EnterpriseTable
    filterset_class = EnterpriseFilter
    template_name = "enterprises/coverage.html"
    table_paginate_by = 50

    def get_queryset(self):
        return selectors.not_visited_recently(self.request.user)

    def get_table_kwargs(self):
        return {"exclude": ("open_demands",)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            coverage=self.lookups.coverage(),
            can_log=can_log_visits(self.request.user), **kwargs)


# --- industry mappings: national classification (GB/T 4754) → the park's chain ------------
# Pages as configuration (parkportal.generic_views): everyone reads, the park's admins keep
# them, as the park's targets.

class IndustryMappingViews:
    model = IndustryMapping
    selector = selectors.visible_industry_mappings
    url_namespace = "enterprises"
    url_prefix = "industry_mapping_"
    deletable = True


class IndustryMappingListView(IndustryMappingViews, ObjectListView):
    table_class = IndustryMappingTable
    filterset_class = IndustryMappingFilter
    export_filename = "industry-mappings"


class IndustryMappingDetailView(IndustryMappingViews, ObjectDetailView):
    panels = [Panel(_("Industry mapping"), ["national_code", "national_name", "industry",
                                            "park"])]


class IndustryMappingEditView(IndustryMappingViews, ObjectEditView):
    form_class = IndustryMappingForm
    service = services.save_industry_mapping


class IndustryMappingDeleteView(IndustryMappingViews, ObjectDeleteView):
    service = services.delete_industry_mapping
