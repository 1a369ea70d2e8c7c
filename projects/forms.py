"""Forms of the project pages: the monthly progress report and its review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parkportal.forms import mark_invalid
from projects.models import ProgressReport


class ProgressReportForm(forms.ModelForm):
    """One project's progress in one month. `version` is the version the user loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    correction_reason = forms.CharField(
        label=_("Reason for correcting a closed quarter"), required=False,
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
