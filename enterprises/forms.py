"""Forms for visits and demands; the visit form is laid out for a phone."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Demand, IndustryMapping, Visit
from parkportal.forms import ServiceModelForm, mark_invalid
from parkportal.once import OneTimeTokenMixin
from parkportal.permissions import park_of
from parkportal.roles import ADMIN, STAFF


class InvalidMarkingMixin:
    def add_error(self, field, error):
        super().add_error(field, error)
        mark_invalid(self)

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)


def _bootstrap(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class VisitForm(OneTimeTokenMixin, InvalidMarkingMixin, forms.ModelForm):
    """A visit, and optionally one demand raised during it."""

    demand_category = forms.ChoiceField(label=_("Demand category"),
                                        choices=Demand.Category.choices, required=False,
                                        initial=Demand.Category.OTHER)
    demand_description = forms.CharField(
        label=_("Demand raised (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    demand_due_on = forms.DateField(label=_("Demand due date"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Visit
        fields = ["visited_on", "kind", "notes"]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def _post_clean(self):
        pass  # the service runs full_clean()

    def demand_data(self):
        if not self.cleaned_data.get("demand_description"):
            return None
        return {"category": self.cleaned_data.get("demand_category") or Demand.Category.OTHER,
                "description": self.cleaned_data["demand_description"],
                "due_on": self.cleaned_data.get("demand_due_on")}


def _handlers(user):
    users = get_user_model().objects.filter(groups__name__in=[STAFF, ADMIN])
    park = park_of(user)
    if park is not None:
        users = users.filter(park_member__park=park)
    return users.distinct().order_by("username")


class DemandForm(OneTimeTokenMixin, InvalidMarkingMixin, forms.ModelForm):
    class Meta:
        model = Demand
        fields = ["category", "description", "status", "due_on", "assignee", "resolution"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _handlers(user)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username
        _bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("status") == Demand.Status.RESOLVED
                and not (cleaned.get("resolution") or "").strip()):
            self.add_error("resolution", _("Describe how the demand was resolved."))
        return cleaned

    def _post_clean(self):
        pass  # the service runs full_clean()


class IndustryMappingForm(ServiceModelForm):
    class Meta:
        model = IndustryMapping
        fields = ["national_code", "national_name", "industry"]
