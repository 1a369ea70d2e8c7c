"""Reminders (SPEC §2 Reminder): what is due or late for a person, kept as one inbox item per
user, day and kind, so that sending twice on a day neither duplicates an item nor a mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORTS_DUE = "reports_due", _("Monthly reports due")
    REPORTS_LATE = "reports_late", _("Monthly reports late")
    DEMANDS_DUE = "demands_due", _("Demands due or overdue")
    PROCEDURES_OVERDUE = "procedures_overdue", _("Preliminary procedures overdue")
    LEADS_DUE = "leads_due", _("Lead follow-ups due")


class InboxItem(models.Model):
    """One reminder in a user's inbox: `count` things of `kind` as of `day`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="inbox_items", verbose_name=_("user"))
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"],
                                    name="one_reminder_per_user_day_kind"),
            models.CheckConstraint(condition=Q(count__gt=0), name="reminder_count_positive"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_unread")]

    def __str__(self):
        return f"{self.user} {self.day} {self.kind} {self.count}"


class Mute(models.Model):
    """A kind of reminder a user does not want (neither in the inbox nor by mail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reminder_mutes", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta:
        verbose_name = _("muted reminder")
        verbose_name_plural = _("muted reminders")
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="one_mute_per_user_kind")]

    def __str__(self):
        return f"{self.user} {self.kind}"
