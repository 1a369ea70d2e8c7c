"""Forms of user management; users.services writes them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from parkportal.forms import BootstrapFormMixin
from parkportal.permissions import scope_to_park
from parkportal.roles import ADMIN, LEADER, STAFF
from projects.models import Project
from users.services import role_of

ROLE_CHOICES = [(STAFF, _("Staff")), (LEADER, _("Leader")), (ADMIN, _("Administrator"))]


class UserForm(BootstrapFormMixin, forms.Form):
    """An account of the park: profile, role and assignments (and, new, its sign-in)."""

    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput,
                               help_text=_("The person changes it after signing in."))
    first_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Surname"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    title = forms.CharField(label=_("Position"), max_length=50, required=False)
    projects = forms.ModelMultipleChoiceField(
        label=_("Responsible for projects"), queryset=Project.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Responsible for enterprises"), queryset=Enterprise.objects.none(),
        required=False, widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, instance=None, user=None, **kwargs):
        self.instance = instance
        if instance is not None:
            member = getattr(instance, "park_member", None)
            kwargs["initial"] = {
                "first_name": instance.first_name, "last_name": instance.last_name,
                "email": instance.email, "role": role_of(instance),
                "phone": member.phone if member else "", "title": member.title if member else "",
                "projects": list(Project.objects.filter(responsible=instance)),
                "enterprises": list(Enterprise.objects.filter(responsible=instance)),
                **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["username"], self.fields["password"]
        self.fields["projects"].queryset = scope_to_park(Project.objects.all(), user)
        self.fields["enterprises"].queryset = scope_to_park(
            Enterprise.objects.only("pk", "name", "park_id"), user)


class PasswordResetForm(BootstrapFormMixin, forms.Form):
    new_password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data

