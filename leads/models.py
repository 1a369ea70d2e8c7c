"""What the lead pipeline keeps beside the lead itself (projects.InvestmentLead and
projects.LeadActivity): the park's response clocks, the stage history, reassignments (过户)
and funds in place (到位资金) over time."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkportal.fields import MoneyField
from projects.models import InvestmentLead, LeadStage

DAY_LIMITS = [MinValueValidator(1), MaxValueValidator(90)]


class ResponseClocks(models.Model):
    """A park's response clocks for leads (published local rules: register and answer a lead
    within 1 working day, assess within 3, feed back within a week, report every two weeks).
    Working days are Monday to Friday."""

    park = models.OneToOneField("parks.Park", on_delete=models.CASCADE,
                                related_name="lead_clocks", verbose_name=_("park"))
    answer_working_days = models.PositiveSmallIntegerField(
        _("answer a new lead within (working days)"), default=1, validators=DAY_LIMITS)
    assess_working_days = models.PositiveSmallIntegerField(
        _("assess a lead within (working days)"), default=3, validators=DAY_LIMITS)
    feedback_days = models.PositiveSmallIntegerField(
        _("feed back after assessment within (days)"), default=7, validators=DAY_LIMITS)
    report_days = models.PositiveSmallIntegerField(
        _("report on an open lead every (days)"), default=14, validators=DAY_LIMITS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("response clocks")
        verbose_name_plural = _("response clocks")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_working_days__gte=1) & Q(assess_working_days__gte=1)
                & Q(feedback_days__gte=1) & Q(report_days__gte=1),
                name="lead_clocks_positive"),
        ]

    def __str__(self):
        return str(self.park)


class LeadStageChange(models.Model):
    """One move of a lead along the pipeline, with its date, author and reason."""

    lead = models.ForeignKey(InvestmentLead, on_delete=models.CASCADE,
                             related_name="stage_changes", verbose_name=_("investment lead"))
    from_stage = models.CharField(_("from"), max_length=20, choices=LeadStage.choices,
                                  blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=LeadStage.choices)
    changed_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason / note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["changed_on", "pk"]

    def __str__(self):
        return f"{self.lead} → {self.get_to_stage_display()}"


class LeadReassignment(models.Model):
    """过户: a lead handed from one officer to another, by whom and why."""

    lead = models.ForeignKey(InvestmentLead, on_delete=models.CASCADE,
                             related_name="reassignments", verbose_name=_("investment lead"))
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("from"))
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, related_name="+", verbose_name=_("to"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"))
    reassigned_at = models.DateTimeField(_("reassigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")
        ordering = ["reassigned_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""),
                                              name="lead_reassignment_has_reason")]

    def __str__(self):
        return f"{self.lead} {self.reassigned_at:%Y-%m-%d}"


class LeadFunds(models.Model):
    """Funds in place (到位资金) for a signed lead: an amount that arrived on a date."""

    lead = models.ForeignKey(InvestmentLead, on_delete=models.CASCADE,
                             related_name="funds", verbose_name=_("investment lead"))
    received_on = models.DateField(_("date in place"))
    amount = MoneyField(_("amount in place (10k yuan)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funds in place")
        verbose_name_plural = _("funds in place")
        ordering = ["received_on", "pk"]
        indexes = [models.Index(fields=["received_on"], name="lead_funds_received_on")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="lead_funds_positive")]

    def __str__(self):
        return f"{self.lead} {self.received_on} {self.amount}"
