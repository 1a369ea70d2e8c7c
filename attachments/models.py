"""A file on any record (SPEC §2 "Attachment"): a monthly report's photos, a lead follow-up's
proof, 前期 materials, a demand's documents.

One table for every record type, by a generic relation (content type + object id): the files,
their checks, thumbnails, serving and backup are written once. Who may see and add them is not
stored here: the record type's rule in `attachments.registry` answers it from the record.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class Attachment(models.Model):
    park = models.ForeignKey("parks.Park", on_delete=models.PROTECT, related_name="attachments",
                             verbose_name=_("park"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    # Stored under MEDIA_ROOT with a random name; never the uploader's file name.
    file = models.FileField(_("file"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    taken_at = models.DateTimeField(_("photo taken at"), null=True, blank=True,
                                    help_text=_("From the photo's EXIF DateTimeOriginal."))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["content_type", "object_id", "uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"],
                                name="attachment_record")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.kind == AttachmentKind.PHOTO
