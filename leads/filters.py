"""The lead list's FilterSet: it drives the list, the board and the export."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads.forms import park_staff
from leads.selectors import overdue_q
from parkportal.generic_views import ObjectFilterSet
from parks.models import Industry
from projects.models import InvestmentLead, LeadStage


class LeadFilter(ObjectFilterSet):
    search_fields = ("investor", "source", "next_action", "contact")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=LeadStage.choices,
                                        empty_label=_("All"))
    industry = django_filters.ModelChoiceFilter(label=_("Industry"),
                                                queryset=Industry.objects.all(),
                                                empty_label=_("All"))
    responsible = django_filters.ModelChoiceFilter(label=_("Responsible"),
                                                   queryset=InvestmentLead.objects.none(),
                                                   empty_label=_("All"))
    source = django_filters.CharFilter(label=_("Source"), lookup_expr="icontains")
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), method="filter_overdue",
                                          choices=[("true", _("Yes")), ("false", _("No"))],
                                          empty_label=_("All"))

    class Meta:
        model = InvestmentLead
        fields = ["q", "stage", "industry", "responsible", "source", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = park_staff(self.user)
        self.filters["responsible"].queryset = staff
        self.form.fields["responsible"].queryset = staff
        self.form.fields["responsible"].label_from_instance = (
            lambda user: user.get_full_name() or user.username)

    def filter_overdue(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        condition = overdue_q(timezone.localdate())
        return queryset.filter(condition) if value == "true" else queryset.exclude(condition)
