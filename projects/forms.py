"""Forms of the project pages: the monthly progress report and its review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parkportal.forms import BootstrapFormMixin, ServiceModelForm, mark_invalid
from parkportal.once import OneTimeTokenMixin
from parkportal.roles import STAFF
from projects.models import AnnualPlan, PreliminaryProcedure, ProgressReport, Project, ProjectStage


class PhotoInput(forms.ClearableFileInput):
    """Several photos at once; on a phone the camera is offered."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """A list of uploaded files (checked by attachments.services when they are attached)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PhotoInput(attrs={"accept": "image/*",
                                                      "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(PhotosField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProgressReportForm(OneTimeTokenMixin, forms.ModelForm):
    """One project's progress in one month. `version` is the version the user loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    photos = PhotosField(label=_("Photos of the site (形象进度)"), required=False,
                         help_text=_("Take photos with the phone camera or choose pictures; "
                                     "they are saved with the report."))
    correction_reason = forms.CharField(
        label=_("Reason for correcting a closed quarter"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    # Asked for (shown) only when the service finds the amount unusual.
    unusual_amount_reason = forms.CharField(
        label=_("Why is this amount unusual?"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = ProgressReport
        fields = ["completed_investment", "fixed_asset_investment", "stage", "image_progress",
                  "problems", "coordination_needed"]
        widgets = {
            "image_progress": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "coordination_needed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, show_correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_correction:
            del self.fields["correction_reason"]
        if self.instance.pk and self.instance.unusual_amount_reason:
            self.fields["unusual_amount_reason"].initial = self.instance.unusual_amount_reason
        for name in ("completed_investment", "fixed_asset_investment"):
            field = self.fields[name]
            field.required = True
            # The model's ≥ 0 rule is checked by clean_<field> with our own message.
            field.validators = [v for v in field.validators
                                if v.__class__.__name__ != "MinValueValidator"]
            field.widget.attrs.pop("min", None)
            field.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def main_fields(self):
        """The visible fields but the unusual-amount reason (shown apart, when asked for)."""
        return [field for field in self.visible_fields()
                if field.name != "unusual_amount_reason"]

    def asks_unusual_reason(self) -> bool:
        field = self["unusual_amount_reason"]
        return bool(field.errors or (field.value() or "").strip())

    def add_error(self, field, error):
        super().add_error(field, error)
        mark_invalid(self)

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)

    def _not_negative(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise forms.ValidationError(_("Amounts cannot be negative."), code="negative")
        return value

    def clean_completed_investment(self):
        return self._not_negative("completed_investment")

    def clean_fixed_asset_investment(self):
        return self._not_negative("fixed_asset_investment")

    def _post_clean(self):
        # The service runs full_clean and the business rules; skip ModelForm's own
        # instance validation so messages are not reported twice.
        pass


class ReviewForm(forms.Form):
    """Approve or return a submitted report."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(label=_("Reason for return"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


# --- project upkeep (admins) ----------------------------------------------------------------


class ProjectForm(ServiceModelForm):
    """Every field of a project an admin keeps up; 停缓建 has its own page."""

    park_scoped = {"owner_enterprise": "park", "responsible": "park_member__park"}

    class Meta:
        model = Project
        fields = ["code", "name", "industry", "owner_enterprise", "total_investment",
                  "construction_nature", "stage", "is_major", "is_industrial",
                  "responsible", "responsible_unit", "leader_in_charge", "location",
                  "planned_start", "actual_start", "planned_completion", "actual_completion",
                  "preliminary_done", "preliminary_done_on", "in_statistics",
                  "in_statistics_on", "construction_content"]
        widgets = {"construction_content": forms.Textarea(attrs={"rows": 3}),
                   "responsible": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        if self.instance.pk and self.instance.stage == ProjectStage.SUSPENDED:
            stage.disabled = True
            stage.help_text = _("Suspended: resume it on the project's page.")
        else:
            stage.choices = [c for c in stage.choices if c[0] != ProjectStage.SUSPENDED]
        self.fields["responsible"].queryset = self.fields["responsible"].queryset.filter(
            groups__name=STAFF).distinct().order_by("username")
        self.fields["responsible"].label_from_instance = (
            lambda u: u.get_full_name() or u.get_username())
        self.fields["owner_enterprise"].queryset = \
            self.fields["owner_enterprise"].queryset.only("pk", "name", "park_id")


class SuspendForm(BootstrapFormMixin, forms.Form):
    suspended_on = forms.DateField(label=_("Suspended on"))
    reason = forms.CharField(label=_("Reason for suspension"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class AnnualPlanForm(ServiceModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "planned_investment", "industrial_investment", "q1_planned",
                  "q2_planned", "q3_planned", "q4_planned", "completed_before_year",
                  "milestones"]
        widgets = {"milestones": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        for name in AnnualPlan.QUARTER_FIELDS:
            self.fields[name].required = False
        self.fields["completed_before_year"].required = False
        self.fields["industrial_investment"].required = False
        for field in self.fields.values():  # the service says "cannot be negative"
            field.validators = [v for v in field.validators
                                if v.__class__.__name__ != "MinValueValidator"]


class ProcedureForm(ServiceModelForm):
    class Meta:
        model = PreliminaryProcedure
        fields = ["kind", "status", "due_on", "done_on", "note"]
