"""Reads of attachments."""

import base64

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage

from attachments.models import Attachment


def attachments_for(record):
    """The files on `record`, oldest first (the caller has checked the viewer may open it)."""
    return (Attachment.objects.filter(content_type=ContentType.objects.get_for_model(record),
                                      object_id=record.pk)
            .select_related("uploaded_by"))


def photos_for(record):
    return attachments_for(record).filter(kind="photo")


def attachments_by_record(model, ids, *, kind: str | None = None) -> dict[int, list]:
    """{record id: its attachments} for records of `model` with these ids (one query)."""
    rows = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                     object_id__in=list(ids)).select_related("uploaded_by")
    if kind is not None:
        rows = rows.filter(kind=kind)
    grouped: dict[int, list] = {}
    for attachment in rows:
        grouped.setdefault(attachment.object_id, []).append(attachment)
    return grouped


def thumbnail_data_uri(attachment) -> str:
    """The photo's thumbnail as a data: URI, for print pages and PDFs, which fetch nothing
    (parkportal/pdf.py). Empty when the attachment has no thumbnail."""
    if not attachment.thumbnail:
        return ""
    with default_storage.open(attachment.thumbnail.name, "rb") as thumbnail:
        return "data:image/jpeg;base64," + base64.b64encode(thumbnail.read()).decode("ascii")
