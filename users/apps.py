from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Users and assignments")

    def ready(self):
        from users import signals  # noqa: F401 (connects the login receiver)
