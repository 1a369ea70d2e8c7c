"""A record's attachments go with it.

When a record of a type that carries attachments (attachments.registry) is deleted — by a
service, in the admin, or by a cascade from its parent (a project takes its reports with it) —
its attachment rows are deleted in the same transaction (each with its history row) and their
files once that transaction commits. Without this the generic relation leaves rows pointing
at nothing and files nobody can reach.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction

from attachments.registry import registered


def delete_attachments_of(sender, instance, **kwargs) -> None:
    """post_delete receiver for every model; acts on registered record types only."""
    if sender._meta.label_lower not in registered():
        return
    from attachments.models import Attachment

    attachments = list(Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk))
    names = [name for a in attachments for name in (a.file.name, a.thumbnail.name) if name]
    for attachment in attachments:
        attachment.delete()
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
