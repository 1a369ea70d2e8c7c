"""Forms of the lead pages: types and required fields; the services check the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from parkportal.forms import BootstrapFormMixin, ServiceModelForm
from parkportal.permissions import park_of
from parkportal.roles import STAFF, is_admin
from projects.models import InvestmentLead, LeadStage


def park_staff(user):
    """Active staff members of the user's park (for responsible / reassignment choices)."""
    park = park_of(user)
    users = get_user_model().objects.filter(is_active=True, groups__name=STAFF)
    if park is None:
        return users.none()
    return users.filter(park_member__park=park).order_by("username").distinct()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class LeadForm(ServiceModelForm):

    class Meta:
        model = InvestmentLead
        fields = ["investor", "industry", "intended_investment", "source", "contact",
                  "registered_on", "responsible", "next_action", "next_action_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance is not None and self.instance.pk is not None
        if editing:
            # Registration day and who is responsible change only by reassignment (过户).
            del self.fields["registered_on"]
            del self.fields["responsible"]
        elif not is_admin(self.user):
            del self.fields["responsible"]  # staff register leads for themselves
        else:
            self.fields["responsible"] = StaffChoiceField(
                queryset=park_staff(self.user), label=_("responsible staff"), required=False)
            self.fields["responsible"].widget.attrs["class"] = "form-select"


class FollowUpForm(BootstrapFormMixin, forms.Form):
    happened_on = forms.DateField(label=_("Date"))
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)
    note = forms.CharField(label=_("Talks summary"), widget=forms.Textarea(attrs={"rows": 4}))
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_action_on = forms.DateField(label=_("Next step due on"), required=False)
    proof = forms.FileField(
        label=_("Proof (photo or file)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx",
                                               "capture": "environment"}),
        help_text=_("A photo taken on site, signed minutes, a letter of intent."))
    proof_caption = forms.CharField(label=_("Caption of the proof"), max_length=200,
                                    required=False)


ADVANCE_CHOICES = [(LeadStage.NEGOTIATING, LeadStage.NEGOTIATING.label),
                   (LeadStage.SIGNED, LeadStage.SIGNED.label),
                   (LeadStage.DROPPED, LeadStage.DROPPED.label)]


class StageForm(BootstrapFormMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=ADVANCE_CHOICES)
    on = forms.DateField(label=_("Date"))
    signed_amount = forms.DecimalField(label=_("Signed amount (10k yuan)"), required=False,
                                       max_digits=14, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("Reason / note"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(BootstrapFormMixin, forms.Form):
    to_user = StaffChoiceField(label=_("Hand over to"), queryset=None)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = park_staff(user)


class FundsForm(BootstrapFormMixin, forms.Form):
    received_on = forms.DateField(label=_("Date in place"))
    amount = forms.DecimalField(label=_("Amount in place (10k yuan)"), max_digits=14,
                                decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class LandForm(BootstrapFormMixin, forms.Form):
    landed_on = forms.DateField(label=_("Landed on"))
    credit_code = forms.CharField(
        label=_("Enterprise credit code"), max_length=30, required=False,
        help_text=_("An enterprise of the park with this code is linked; otherwise a new "
                    "enterprise is created."))
    enterprise_name = forms.CharField(label=_("Enterprise name (when created)"),
                                      max_length=200, required=False)
    create_project = forms.BooleanField(label=_("Create a project"), required=False)
    project_code = forms.CharField(label=_("Project code"), max_length=40, required=False)
    project_name = forms.CharField(label=_("Project name"), max_length=200, required=False)
    total_investment = forms.DecimalField(label=_("Total investment (10k yuan)"),
                                          required=False, max_digits=14, decimal_places=2,
                                          min_value=0)


class ClocksForm(BootstrapFormMixin, forms.Form):
    answer_working_days = forms.IntegerField(label=_("Answer a new lead within (working days)"),
                                             min_value=1, max_value=90)
    assess_working_days = forms.IntegerField(label=_("Assess a lead within (working days)"),
                                             min_value=1, max_value=90)
    feedback_days = forms.IntegerField(label=_("Feed back after assessment within (days)"),
                                       min_value=1, max_value=90)
    report_days = forms.IntegerField(label=_("Report on an open lead every (days)"),
                                     min_value=1, max_value=90)
