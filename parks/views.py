"""The park's annual targets (pages as configuration, parkportal.generic_views) and the
park's settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from parkportal.forms import route_errors
from parkportal.generic_views import ObjectDetailView, ObjectEditView, ObjectListView, Panel
from parkportal.permissions import RoleRequiredMixin, park_of, scope_to_park
from parkportal.roles import ADMIN
from parks import services
from parks.filters import ParkTargetFilter
from parks.forms import ParkSettingsForm, ParkTargetForm
from parks.models import ParkAnnualTarget
from parks.tables import ParkTargetTable


def visible_targets(user):
    return scope_to_park(ParkAnnualTarget.objects.select_related("park"), user)


class TargetViews:
    model = ParkAnnualTarget
    selector = visible_targets
    url_namespace = "parks"
    url_prefix = "target_"


class TargetListView(TargetViews, ObjectListView):
    table_class = ParkTargetTable
    filterset_class = ParkTargetFilter
    export_filename = "park-targets"


class TargetDetailView(TargetViews, ObjectDetailView):
    panels = [Panel(_("Targets"), ["park", "year", "projects_planned", "total_investment",
                                   "annual_investment", "industrial_investment",
                                   "major_preliminary_projects",
                                   "major_preliminary_investment",
                                   "enterprises_to_introduce", "talents_to_introduce",
                                   "source", "status"])]


class TargetEditView(TargetViews, ObjectEditView):
    form_class = ParkTargetForm
    service = services.save_park_target


class ParkSettingsView(RoleRequiredMixin, FormView):
    """A park admin's settings of the park: when monthly reports are due."""

    allowed_roles = (ADMIN,)
    form_class = ParkSettingsForm
    template_name = "parks/park_settings.html"

    def dispatch(self, request, *args, **kwargs):
        self.park = park_of(request.user) if request.user.is_authenticated else None
        if request.user.is_authenticated and self.park is None:
            raise Http404(_("Your account belongs to no park."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.park}

    def form_valid(self, form):
        try:
            services.save_park_settings(park=self.park, user=self.request.user,
                                        data=form.cleaned_data)
        except ValidationError as exc:
            route_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The park's settings were saved."))
        return redirect("parks:settings")

    def get_context_data(self, **kwargs):
        return super().get_context_data(park=self.park, **kwargs)
