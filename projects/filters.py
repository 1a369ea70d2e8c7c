"""The project list's filters: one FilterSet drives the page and its exports."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parkportal.permissions import park_of
from parkportal.roles import STAFF
from parks.models import Industry
from projects.models import Project, ProjectStage

YES_NO = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  widget=forms.TextInput(attrs={
                                      "placeholder": _("Code, name, owner or content")}))
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year",
                                       widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}))
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=ProjectStage.choices,
                                        empty_label=_("All"))
    industry = django_filters.ModelChoiceFilter(label=_("Industry"),
                                                queryset=Industry.objects.all(),
                                                empty_label=_("All"))
    is_major = django_filters.TypedChoiceFilter(label=_("Major project"), choices=YES_NO,
                                                coerce=lambda v: v == "true")
    is_industrial = django_filters.TypedChoiceFilter(label=_("Industrial project"),
                                                     choices=YES_NO,
                                                     coerce=lambda v: v == "true")
    responsible = django_filters.ModelChoiceFilter(label=_("Responsible"),
                                                   queryset=get_user_model().objects.none(),
                                                   empty_label=_("All"))

    class Meta:
        model = Project
        fields = ["q", "year", "stage", "industry", "is_major", "is_industrial", "responsible"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(groups__name=STAFF)
        park = park_of(user) if user is not None else None
        if park is not None:
            users = users.filter(park_member__park=park)
        responsible = self.filters["responsible"]
        responsible.queryset = users.order_by("username").distinct()
        responsible.field.label_from_instance = lambda u: u.get_full_name() or u.username
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
        return queryset.filter(annual_plans__year=value) if value else queryset
