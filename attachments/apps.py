from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = _("Attachments")

    def ready(self):
        # Each app declares who may view and attach to its record types in its own
        # `attachment_rules.py` (attachments.registry); load them all, as the admin does.
        autodiscover_modules("attachment_rules")
        from django.db.models.signals import post_delete

        from attachments.cleanup import delete_attachments_of

        post_delete.connect(delete_attachments_of, dispatch_uid="attachments_go_with_record")
