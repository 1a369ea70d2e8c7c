"""What a user chose for themselves (not what an admin set): the display preference."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DisplayPreference(models.Model):
    """Large text with high contrast (issue 16, 适老化), switched on once and kept per user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="display_preference", verbose_name=_("user"))
    large_text = models.BooleanField(_("large text, high contrast"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("display preference")
        verbose_name_plural = _("display preferences")

    def __str__(self):
        return f"{self.user}: {'large' if self.large_text else 'standard'}"
