import django_filters
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import ObjectFilterSet
from parks.models import ParkAnnualTarget


class ParkTargetFilter(ObjectFilterSet):
    search_fields = ("source",)
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = ParkAnnualTarget
        fields = ["q", "year"]
