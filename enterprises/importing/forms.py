"""Forms of the enterprise import wizard: the generic upload and mapping forms
(imports.forms) with the enterprise list's label and its checksum option."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.importing.headers import FIELDS, REQUIRED, ColumnMapping  # noqa: F401
from imports import forms as generic
from imports.forms import ACCEPT  # noqa: F401


class UploadForm(generic.UploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Enterprise list")


class MappingForm(generic.MappingForm):
    accept_bad_checksum = forms.BooleanField(
        label=_("Accept credit codes failing the checksum"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("Some early codes genuinely fail the GB 32100 check."))

    option_fields = ("accept_bad_checksum", "strict")
