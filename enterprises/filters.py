"""Filters of the enterprise and demand lists."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import (
    Demand,
    Enterprise,
    EnterpriseStatus,
    IndustryMapping,
    Relation,
    overdue_demand_q,
    visited_in_window,
)
from parkportal.generic_views import ObjectFilterSet
from parks.models import Industry

YES_NO = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


def _small(filterset):
    for field in filterset.form.fields.values():
        css = ("form-select form-select-sm" if isinstance(field.widget, forms.Select)
               else "form-control form-control-sm")
        field.widget.attrs.setdefault("class", css)


def _all_industries():
    return [(industry.pk, str(industry)) for industry in Industry.objects.all()]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=forms.TextInput(
        attrs={"placeholder": _("Name, credit code or origin")}))
    # Choices from EnterpriseListLookups: one query for every look-up of the page.
    industry = django_filters.ChoiceFilter(label=_("Industry"), empty_label=_("All"))
    relation = django_filters.ChoiceFilter(label=_("Relation"), choices=Relation.choices,
                                           empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnterpriseStatus.choices,
                                         empty_label=_("All"))
    introduced_year = django_filters.NumberFilter(label=_("Year introduced"))
    mine = django_filters.TypedChoiceFilter(label=_("Assigned to me"), choices=YES_NO,
                                            coerce=lambda v: v == "true", method="filter_mine")
    not_visited = django_filters.TypedChoiceFilter(
        label=_("Not visited in 7 days"), choices=YES_NO, coerce=lambda v: v == "true",
        method="filter_not_visited")

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "relation", "status", "introduced_year", "mine",
                  "not_visited"]

    def __init__(self, *args, lookups=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable: read (once, with the page's other look-ups) when the form renders or
        # validates a submitted industry.
        self.filters["industry"].extra["choices"] = (lookups.industries if lookups is not None
                                                     else _all_industries)
        _small(self)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value)
                               | Q(origin__icontains=value))

    def filter_mine(self, queryset, name, value):
        if value is True:
            return queryset.filter(responsible=self.request.user)
        if value is False:
            return queryset.exclude(responsible=self.request.user)
        return queryset

    def filter_not_visited(self, queryset, name, value):
        visited = visited_in_window(timezone.localdate())
        if value is True:
            return queryset.filter(~visited)
        if value is False:
            return queryset.filter(visited)
        return queryset


class DemandFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Demand.Status.choices,
                                         empty_label=_("All"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Demand.Category.choices,
                                           empty_label=_("All"))
    overdue = django_filters.TypedChoiceFilter(label=_("Overdue"), choices=YES_NO,
                                               coerce=lambda v: v == "true",
                                               method="filter_overdue")
    mine = django_filters.TypedChoiceFilter(label=_("Handled by me"), choices=YES_NO,
                                            coerce=lambda v: v == "true", method="filter_mine")

    class Meta:
        model = Demand
        fields = ["q", "status", "category", "overdue", "mine"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value)
                               | Q(enterprise__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_demand_q(timezone.localdate())
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset

    def filter_mine(self, queryset, name, value):
        if value is True:
            return queryset.filter(assignee=self.request.user)
        if value is False:
            return queryset.exclude(assignee=self.request.user)
        return queryset


class IndustryMappingFilter(ObjectFilterSet):
    search_fields = ("national_code", "national_name")
    industry = django_filters.ModelChoiceFilter(label=_("Industry chain"), empty_label=_("All"),
                                                queryset=Industry.objects.all())

    class Meta:
        model = IndustryMapping
        fields = ["q", "industry"]
