"""One FilterSet per model: it drives the list page and its export."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from parkportal.generic_views import ObjectFilterSet
from parkportal.permissions import scope_to_park
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction


class TalentFilter(ObjectFilterSet):
    # Names are not searched: a hit would tell what the mask hides.
    search_fields = ("field", "employer__name", "partner__name", "innovation_center__name")
    year = django_filters.NumberFilter(label=_("Year"), field_name="introduced_on",
                                       lookup_expr="year",
                                       widget=forms.NumberInput(attrs={"min": 2000,
                                                                       "max": 2100}))
    degree = django_filters.ChoiceFilter(label=_("Degree"),
                                         choices=TalentIntroduction.Degree.choices,
                                         empty_label=_("All"))
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=TalentIntroduction.Mode.choices,
                                       empty_label=_("All"))
    innovation_center = django_filters.ModelChoiceFilter(
        label=_("Innovation center"), queryset=InnovationCenter.objects.none(),
        empty_label=_("All"))
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner organization"), queryset=PartnerOrganization.objects.none(),
        empty_label=_("All"))

    class Meta:
        model = TalentIntroduction
        fields = ["q", "year", "degree", "mode", "innovation_center", "partner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["innovation_center"].queryset = scope_to_park(
            InnovationCenter.objects.all(), self.user)
        self.filters["partner"].queryset = scope_to_park(PartnerOrganization.objects.all(),
                                                         self.user)
        self.form.fields["innovation_center"].queryset = self.filters["innovation_center"].queryset
        self.form.fields["partner"].queryset = self.filters["partner"].queryset


class PartnerFilter(ObjectFilterSet):
    search_fields = ("name", "location", "field")

    class Meta:
        model = PartnerOrganization
        fields = ["q"]


class CenterFilter(ObjectFilterSet):
    search_fields = ("name", "city")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InnovationCenter.Kind.choices,
                                       empty_label=_("All"))

    class Meta:
        model = InnovationCenter
        fields = ["q", "kind"]
