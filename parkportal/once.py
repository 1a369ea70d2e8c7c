"""One record per intention: a form carries a one-time token, and the post that uses it first
is the only one that writes.

Phone Back + save posts a form a second time; without this it would make a second visit, a
second demand. The form gets a fresh token when it is rendered (`OneTimeTokenMixin`); the view
runs its service inside `once(...)`, which stores the token with the record it saved in the
same transaction. The token column is unique, so of two concurrent posts one inserts and the
other fails and then finds the first one's record: nothing is written twice.
"""

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from parkportal.models import FormToken

FIELD = "form_token"
_SHAPE = re.compile(r"^[0-9a-f]{32}$")


def new_token() -> str:
    return uuid.uuid4().hex


class OneTimeTokenMixin:
    """Adds the hidden `form_token` field: a fresh token on an unbound form; on a bound one a
    missing or malformed token is a form error (nothing is written)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False,
                                             initial=new_token)

    def clean(self):
        cleaned = super().clean()
        if not _SHAPE.match(cleaned.get(FIELD) or ""):
            self.add_error(None, forms.ValidationError(
                _("This form is incomplete or out of date. Reload the page and enter it again."),
                code="form_token"))
        return cleaned

    @property
    def token(self) -> str:
        return self.cleaned_data[FIELD]


@dataclass
class Outcome:
    record: object | None
    created: bool  # False: the token had been used; `record` is what that post saved


def used(token: str, user) -> Outcome | None:
    """The earlier outcome of `token` for `user`, or None if it is unused."""
    found = FormToken.objects.filter(token=token, user=user).first()
    if found is None:
        return None
    return Outcome(record=found.record, created=False)


def once(*, token: str, user, save) -> Outcome:
    """Run `save()` (a service call returning the saved record) unless `token` was used
    already; store the token with the record in the same transaction. A token used by
    another user is refused like a used one (with no record)."""
    earlier = used(token, user)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            claim = FormToken.objects.create(token=token, user=user)
            record = save()
            claim.content_type = ContentType.objects.get_for_model(record)
            claim.object_id = record.pk
            claim.save(update_fields=["content_type", "object_id"])
    except IntegrityError:
        # A concurrent post of the same form won (or another user holds the token).
        earlier = used(token, user)
        if earlier is None and FormToken.objects.filter(token=token).exists():
            return Outcome(record=None, created=False)
        if earlier is None:
            raise
        return earlier
    return Outcome(record=record, created=True)
