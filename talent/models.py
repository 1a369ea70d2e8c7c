"""Partner organisations, innovation centers and talent introductions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parkportal.audit import AuditedManager


class PartnerOrganization(models.Model):
    """An organisation brought in as a partner (合作机构)."""

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="partners",
                             verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=100, blank=True)
    field = models.CharField(_("field of cooperation"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="one_partner_name_per_park"),
        ]

    def __str__(self):
        return self.name


class InnovationCenter(models.Model):
    """An innovation center: the park's own, or an enclave (飞地) in another city."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("Local center")
        ENCLAVE = "enclave", _("Enclave center")

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT,
                             related_name="innovation_centers", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=50)
    partner = models.ForeignKey(PartnerOrganization, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="innovation_centers",
                                verbose_name=_("operating partner"))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("innovation center")
        verbose_name_plural = _("innovation centers")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="one_center_name_per_park"),
        ]

    def __str__(self):
        return self.name


class TalentIntroduction(models.Model):
    """A person introduced as talent (人才引进). The name is personal data."""

    class Degree(models.TextChoices):
        PHD = "phd", _("PhD")
        MASTER = "master", _("Master")
        BACHELOR = "bachelor", _("Bachelor")
        OTHER = "other", _("Other")

    class Mode(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        FLEXIBLE = "flexible", _("Flexible")

    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT,
                             related_name="talent_introductions", verbose_name=_("park"))
    person_name = models.CharField(_("name"), max_length=50)
    degree = models.CharField(_("degree"), max_length=20, choices=Degree.choices)
    field = models.CharField(_("field"), max_length=100, blank=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices,
                            default=Mode.FULL_TIME)
    employer = models.ForeignKey("enterprises.Enterprise", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="talents",
                                 verbose_name=_("employer"))
    partner = models.ForeignKey(PartnerOrganization, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="talents",
                                verbose_name=_("partner organization"))
    innovation_center = models.ForeignKey(InnovationCenter, on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="talents",
                                          verbose_name=_("innovation center"))
    introduced_on = models.DateField(_("introduced on"))
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Invented to split a report total; not named by the source."))
    objects = AuditedManager()  # audits bulk writes too (parkportal.audit)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("talent introduction")
        verbose_name_plural = _("talent introductions")
        ordering = ["-introduced_on", "id"]
        indexes = [models.Index(fields=["park", "introduced_on"], name="talent_park_date")]

    def __str__(self):
        return f"{self.get_degree_display()} {self.field}"
