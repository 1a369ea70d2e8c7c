"""The upward reports' choice of scope and period, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

MONTH_CHOICES = [(m, _("1–%(m)s") % {"m": m} if m > 1 else _("January")) for m in range(1, 13)]


class UpwardForm(forms.Form):
    park = forms.SlugField(required=False, label=_("Park"))
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False, label=_("Year"),
                              widget=forms.NumberInput(attrs={"class": "form-control "
                                                                       "form-control-sm"}))
    month = forms.TypedChoiceField(choices=MONTH_CHOICES, coerce=int, required=False,
                                   label=_("Months"),
                                   widget=forms.Select(attrs={"class": "form-select "
                                                                       "form-select-sm"}))
