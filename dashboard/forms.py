"""The dashboard's period selector and the quarter-close form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parks.models import Park

QUARTER_CHOICES = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


class PeriodForm(forms.Form):
    """park (admins only), year, quarter: read from the query string."""

    park = forms.ModelChoiceField(queryset=Park.objects.all(), to_field_name="slug",
                                  required=False, label=_("Park"), empty_label=None)
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False, label=_("Year"))
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int, required=False,
                                     label=_("Quarter"))

    def __init__(self, *args, parks=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        if parks is not None:
            self.fields["park"].queryset = parks
        for name in ("park", "year", "quarter"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["year"].widget = forms.Select(
            choices=[(year, str(year)) for year in years],
            attrs={"class": "form-select form-select-sm"})


class QuarterCloseForm(forms.Form):
    park = forms.SlugField()
    year = forms.IntegerField(min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2, "class": "form-control"}), label=_("Note"))


class RolloverForm(forms.Form):
    """The year to roll over from; the page drafts the year after."""

    from_year = forms.IntegerField(min_value=2000, max_value=2099, label=_("Roll over from"),
                                   widget=forms.NumberInput(attrs={"class": "form-control"}))
