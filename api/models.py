"""Personal API tokens (docs/api.md, docs/security.md "API tokens").

Only a token's SHA-256 is stored: a token is 32 random bytes, so a fast hash cannot be
brute-forced, and a stolen database gives no usable token. The first characters are kept in
clear (`prefix`) so that a user and an admin can tell tokens apart."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100, blank=True,
                            help_text=_("What the token is for, e.g. the city's reporting tool."))
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True,
                                editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True,
                                        editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(key_hash=""),
                                   name="api_token_hash_required"),
        ]

    def __str__(self):
        return f"{self.user} {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
