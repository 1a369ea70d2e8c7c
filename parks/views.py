"""The park's annual targets: pages as configuration (parkportal.generic_views)."""

from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import ObjectDetailView, ObjectEditView, ObjectListView, Panel
from parkportal.permissions import scope_to_park
from parks import services
from parks.filters import ParkTargetFilter
from parks.forms import ParkTargetForm
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
