from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpwardConfig(AppConfig):
    name = "upward"
    verbose_name = _("Upward reports")
