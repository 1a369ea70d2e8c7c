"""`{% attachment_panel record %}`: the files on a record, with thumbnails for photos, an
upload form (phones open the camera) and delete links for those who may. The page including it
has already checked that the viewer may open `record`."""

from django import template
from django.conf import settings

from attachments.forms import AttachmentForm
from attachments.registry import rule_for
from attachments.selectors import attachments_for
from attachments.services import allowed_types_label

register = template.Library()


@register.inclusion_tag("attachments/_panel.html", takes_context=True)
def attachment_panel(context, record, title="", upload=True, items=None):
    """`items`: the attachments to show (default: the record's own)."""
    request = context["request"]
    user = request.user
    rule = rule_for(record)
    can_attach = bool(upload) and rule.attachable(user, record)
    shown = list(attachments_for(record) if items is None else items)
    for attachment in shown:
        attachment.deletable = rule.may_delete(user, record, attachment,
                                               attachable=can_attach)
    return {
        "record": record,
        "label": rule.label,
        "title": title,
        "attachments": shown,
        "photos": [a for a in shown if a.is_photo],
        "documents": [a for a in shown if not a.is_photo],
        "can_attach": can_attach,
        "form": AttachmentForm() if can_attach else None,
        "next": request.get_full_path(),
        "max_mb": f"{settings.ATTACHMENT_MAX_BYTES / 1048576:g}",
        "types": allowed_types_label(),
        "csrf_token": context.get("csrf_token"),
    }
