from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentForm(forms.Form):
    """Types only: attachments.services.attach_file checks the file itself."""

    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={
        "class": "form-control", "accept": "image/*,.pdf,.docx,.xlsx"}))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"class": "form-control"}))
