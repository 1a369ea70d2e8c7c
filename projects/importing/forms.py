"""Forms of the schedule import wizard: the generic ones (imports.forms) with the year and
month, read from the file when left empty."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imports import forms as generic


def _period_fields():
    return {
        "year": forms.IntegerField(
            label=_("Year"), required=False, min_value=2000, max_value=2100,
            help_text=_("Leave empty to take it from the title (e.g. 2025年)."),
            widget=forms.NumberInput(attrs={"class": "form-control"})),
        "month": forms.IntegerField(
            label=_("Month"), required=False, min_value=1, max_value=12,
            help_text=_("Leave empty to take it from the header (e.g. 1—3月完成)."),
            widget=forms.NumberInput(attrs={"class": "form-control"})),
    }


class UploadForm(generic.UploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Project schedule (重点项目进度表)")
        self.fields.update(_period_fields())


class MappingForm(generic.MappingForm):
    option_fields = ("year", "month", "strict")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_period_fields())
