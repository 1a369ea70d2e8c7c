"""The project list's filters: one FilterSet drives the page and its exports."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import AnnualPlan, Project, ProjectStage
from projects.selectors import ProjectListLookups

YES_NO = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  widget=forms.TextInput(attrs={
                                      "placeholder": _("Code, name, owner or content")}))
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year",
                                       widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}))
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=ProjectStage.choices,
                                        empty_label=_("All"))
    # Choices from ProjectListLookups: one query for every look-up of the page.
    industry = django_filters.ChoiceFilter(label=_("Industry"), empty_label=_("All"))
    is_major = django_filters.TypedChoiceFilter(label=_("Major project"), choices=YES_NO,
                                                coerce=lambda v: v == "true")
    is_industrial = django_filters.TypedChoiceFilter(label=_("Industrial project"),
                                                     choices=YES_NO,
                                                     coerce=lambda v: v == "true")
    responsible = django_filters.ChoiceFilter(label=_("Responsible"), empty_label=_("All"))

    class Meta:
        model = Project
        fields = ["q", "year", "stage", "industry", "is_major", "is_industrial", "responsible"]

    def __init__(self, *args, user=None, lookups=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Callables: read (once, with the rest of the page's look-ups) when the form renders
        # or validates a submitted choice.
        lookups = lookups or ProjectListLookups(user)
        self.filters["industry"].extra["choices"] = lookups.industries
        self.filters["responsible"].extra["choices"] = lookups.staff
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css + " form-control-sm"
                                          if css == "form-control" else css + " form-select-sm")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)
                               | Q(owner_enterprise__name__icontains=value)
                               | Q(construction_content__icontains=value)
                               | Q(location__icontains=value))

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(AnnualPlan.published_q("annual_plans__"), annual_plans__year=value)
