"""Which record types carry attachments, and who may view and add them.

A record type registers once, in its app's `attachment_rules.py` (loaded at start-up by
`AttachmentsConfig.ready`):

    register(ProgressReport,
             records=lambda user: ...,            # the records this user may open (else 404)
             may_view=lambda user, record: ...,   # the record page's own check (else 403)
             may_attach=lambda user, record: ..., # who may add (and delete their own) files
             park=lambda record: record.project.park,
             url=lambda record: reverse(...))     # the record's page, or None

The functions are the record page's own checks (its selector and its permission functions),
not copies: a file is served exactly to those who may open its record. Admins of the
record's park may delete any of its files; an uploader may delete their own while they may
still attach.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404

from parkportal.permissions import park_of
from parkportal.roles import is_admin


@dataclass(frozen=True)
class RecordRule:
    model: type
    records: object  # (user) -> queryset
    may_attach: object  # (user, record) -> bool
    park: object  # (record) -> Park
    may_view: object = None  # (user, record) -> bool; None: every record of `records`
    url: object = None  # (record) -> str | None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def viewable(self, user, record) -> bool:
        return self.may_view is None or bool(self.may_view(user, record))

    def attachable(self, user, record) -> bool:
        return self.viewable(user, record) and bool(self.may_attach(user, record))

    def may_delete(self, user, record, attachment, *, attachable=None) -> bool:
        """Admins of the attachment's park; its uploader while they may attach to the
        record (`attachable`: that answer when the caller already has it)."""
        if attachable is None and not self.viewable(user, record):
            return False
        if is_admin(user) and (park_of(user) is None or park_of(user).pk == attachment.park_id):
            return True
        if attachment.uploaded_by_id != user.pk:
            return False
        return self.attachable(user, record) if attachable is None else attachable


_rules: dict[str, RecordRule] = {}


def register(model, *, records, may_attach, park, may_view=None, url=None) -> RecordRule:
    rule = RecordRule(model=model, records=records, may_attach=may_attach, park=park,
                      may_view=may_view, url=url)
    _rules[rule.label] = rule
    return rule


def rule_for(model_or_label) -> RecordRule:
    """The rule of a registered model (class, instance or "app.model" label); KeyError if
    the type carries no attachments."""
    label = model_or_label if isinstance(model_or_label, str) \
        else model_or_label._meta.label_lower
    return _rules[label]


def registered() -> dict[str, RecordRule]:
    return dict(_rules)


def load_record(user, label: str, object_id: int):
    """The record `label` #`object_id` as `user` may open it: 404 for an unknown type or a
    record outside the user's reach, 403 when the record page itself would refuse."""
    try:
        rule = _rules[label]
    except KeyError:
        raise Http404 from None
    record = rule.records(user).filter(pk=object_id).first()
    if record is None:
        raise Http404
    if not rule.viewable(user, record):
        raise PermissionDenied
    return rule, record


def record_of(user, attachment):
    """The attachment's record, checked for `user` as `load_record` does."""
    model_class = ContentType.objects.get_for_id(attachment.content_type_id).model_class()
    if model_class is None:
        raise Http404
    return load_record(user, model_class._meta.label_lower, attachment.object_id)
