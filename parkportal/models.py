"""The ground floor's one table: the one-time form tokens (parkportal.once)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormToken(models.Model):
    """A form's one-time token, used once: the record its post saved. The unique token is
    what lets only one of two posts of the same form write (parkportal.once)."""

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True,
                                     blank=True, verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    used_at = models.DateTimeField(_("used at"), auto_now_add=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")
        indexes = [models.Index(fields=["used_at"], name="form_token_used_at")]

    def __str__(self):
        return self.token
