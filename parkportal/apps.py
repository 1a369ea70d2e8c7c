from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParkportalConfig(AppConfig):
    name = "parkportal"
    verbose_name = _("parkportal")

    def ready(self):
        from parkportal import table_signatures
        from parkportal.role_permissions import ensure_role_permissions

        table_signatures.install()
        # Sent once per app, each time after auth's own handler has created that app's
        # Permission rows; the handler only adds what is missing, so the last call completes it.
        post_migrate.connect(ensure_role_permissions,
                             dispatch_uid="parkportal.ensure_role_permissions")
