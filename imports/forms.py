"""Forms of the import wizard for every target: the upload, and the column mapping with the
import options (a target subclasses them to add its own options)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parks.models import Park

ACCEPT = ".xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet," \
         "application/vnd.ms-excel,text/csv"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx, .xls), CSV (UTF-8 or GBK) or Unicode text, as sent by the "
                    "office."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ACCEPT}))
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.all(),
                                  widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, park=None, **kwargs):
        super().__init__(*args, **kwargs)
        if park is not None:  # a member of a park imports into that park only
            del self.fields["park"]
        self.park = park

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB, more than the allowed %(limit)s MB. Split it into "
                  "smaller files.") % {"size": f"{upload.size / 1048576:.1f}",
                                       "limit": f"{limit / 1048576:.0f}"})
        return upload

    def get_park(self):
        return self.park or self.cleaned_data["park"]


class MappingForm(forms.Form):
    """One select per column of the file's header, plus the import options. A column that
    could be one of two fields' (mapping.ambiguous) starts unchosen and is marked."""

    strict = forms.BooleanField(
        label=_("Strict: import nothing if any row is rejected"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    option_fields = ("strict",)

    def __init__(self, *args, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        columns = mapping.matcher.columns
        by_column = {index: name for name, index in mapping.columns.items()}
        self.ambiguous_columns = {}
        for name, indexes in mapping.ambiguous.items():
            for index in indexes:
                self.ambiguous_columns.setdefault(index, []).append(str(columns[name].label))
        choices = [("", _("— ignore —"))] + [(name, column.label)
                                             for name, column in columns.items()]
        self.column_fields = []
        for index, header in enumerate(mapping.headers):
            key = f"col_{index}"
            attrs = {"class": "form-select form-select-sm"}
            if index in self.ambiguous_columns:
                attrs["class"] += " is-invalid"
                attrs["aria-describedby"] = f"ambiguous-{index}"
            self.fields[key] = forms.ChoiceField(
                label=header or _("(column %(n)s, no header)") % {"n": index + 1},
                choices=choices, required=False, initial=by_column.get(index, ""),
                widget=forms.Select(attrs=attrs))
            self.column_fields.append(key)

    def columns_bound(self):
        return [self[key] for key in self.column_fields]

    def column_rows(self):
        """(bound field, the fields this column could be when it is ambiguous, its index)."""
        return [(self[key], self.ambiguous_columns.get(index, []), index)
                for index, key in enumerate(self.column_fields)]

    def options_bound(self):
        return [self[name] for name in self.option_fields]

    def clean(self):
        cleaned = super().clean()
        labels = {name: column.label for name, column in self.mapping.matcher.columns.items()}
        columns: dict[str, int] = {}
        for index, key in enumerate(self.column_fields):
            name = cleaned.get(key)
            if not name:
                continue
            if name in columns:
                raise forms.ValidationError(
                    _("%(field)s is chosen for two columns; choose it once.")
                    % {"field": labels[name]})
            columns[name] = index
        missing = [str(labels[name]) for name in self.mapping.matcher.required
                   if name not in columns]
        if missing:
            raise forms.ValidationError(_("Choose a column for: %(fields)s.")
                                        % {"fields": "、".join(missing)})
        cleaned["columns"] = columns
        return cleaned

    def new_mapping(self):
        return self.mapping.with_columns(self.cleaned_data["columns"])
