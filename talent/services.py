"""Writes of talent introductions, partner organizations and innovation centres.

Park admins only. Each write is atomic, runs the model's full_clean, keeps every related
record inside the object's park, and leaves a history entry with its author.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parkportal.permissions import park_of
from parkportal.roles import is_admin
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction

TALENT_FIELDS = ("person_name", "degree", "field", "mode", "employer", "partner",
                 "innovation_center", "introduced_on")
PARTNER_FIELDS = ("name", "location", "field", "joined_on", "notes")
CENTER_FIELDS = ("name", "kind", "city", "partner", "established_on")


def _park_for(instance, user):
    if instance is not None:
        return instance.park
    park = park_of(user)
    if park is None:
        raise ValidationError(_("Your account belongs to no park: records are added by the "
                                "park's own administrators."), code="no_park")
    return park


def _save(model, *, instance, user, data: dict, fields: tuple[str, ...]):
    if not is_admin(user):
        raise PermissionDenied
    park = _park_for(instance, user)
    obj = instance if instance is not None else model(park=park)
    errors = {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        related_park = getattr(value, "park_id", None)
        if related_park is not None and related_park != park.pk:
            errors[name] = _("Choose one of your park's own records.")
        setattr(obj, name, value if value is not None or model._meta.get_field(name).null
                else "")
    if errors:
        raise ValidationError(errors, code="other_park")
    obj._history_user = user
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def save_talent(*, instance: TalentIntroduction | None = None, user,
                data: dict) -> TalentIntroduction:
    """Create (no `instance`) or update a talent introduction of the admin's park."""
    return _save(TalentIntroduction, instance=instance, user=user, data=data,
                 fields=TALENT_FIELDS)


@transaction.atomic
def save_partner(*, instance: PartnerOrganization | None = None, user,
                 data: dict) -> PartnerOrganization:
    """Create or update a partner organization of the admin's park."""
    return _save(PartnerOrganization, instance=instance, user=user, data=data,
                 fields=PARTNER_FIELDS)


@transaction.atomic
def save_center(*, instance: InnovationCenter | None = None, user,
                data: dict) -> InnovationCenter:
    """Create or update an innovation centre of the admin's park."""
    return _save(InnovationCenter, instance=instance, user=user, data=data,
                 fields=CENTER_FIELDS)


@transaction.atomic
def delete_record(*, instance, user) -> None:
    """Delete a talent introduction, partner or centre (references to it are cleared; the
    history keeps what it was)."""
    if not is_admin(user):
        raise PermissionDenied
    instance._history_user = user
    instance.delete()
