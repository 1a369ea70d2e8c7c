"""What every form of the app shares: Bootstrap classes, is-invalid marks, and one helper
that routes a service's ValidationError onto the form's fields."""

from django import forms
from django.core.exceptions import ValidationError


def mark_invalid(form):
    """Give fields with errors Bootstrap's is-invalid class."""
    for name in getattr(form, "_errors", None) or {}:
        if name in form.fields:
            widget = form.fields[name].widget
            css = widget.attrs.get("class", "")
            if "is-invalid" not in css:
                widget.attrs["class"] = (css + " is-invalid").strip()


def route_errors(form, exc: ValidationError):
    """Put a service's ValidationError on the form: field errors on their fields (or on the
    form when it has no such field), other errors on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class BootstrapFormMixin:
    """form-control / form-select / form-check-input on every widget; is-invalid on errors.
    Dates get the browser's date picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            if isinstance(widget, forms.DateInput) and not isinstance(widget, forms.DateTimeInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(field, forms.DecimalField):
                widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
            widget.attrs.setdefault("class", css)

    def add_error(self, field, error):
        super().add_error(field, error)
        mark_invalid(self)

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)


class ServiceModelForm(BootstrapFormMixin, forms.ModelForm):
    """A ModelForm whose instance is written by a service: the form checks types and
    required fields only; the service runs full_clean and the domain rules, and its errors
    come back through `route_errors` (so no message is reported twice).

    `park_scoped = {"employer": "park"}` limits a related field's choices to the viewer's
    park (the field's model filtered on that path).
    """

    park_scoped: dict[str, str] = {}

    def __init__(self, *args, user=None, **kwargs):
        from parkportal.permissions import scope_to_park

        self.user = user
        super().__init__(*args, **kwargs)
        for name, park_field in self.park_scoped.items():
            if name in self.fields:
                self.fields[name].queryset = scope_to_park(self.fields[name].queryset, user,
                                                           park_field)

    def _post_clean(self):
        pass
