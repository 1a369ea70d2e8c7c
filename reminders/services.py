"""Writing reminders: the day's inbox items and the mail digest. Idempotent per user, day
and kind: a second run the same day updates counts but adds no item and sends no mail
again for a kind already mailed."""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reminders.models import InboxItem, Kind, Mute
from reminders.selectors import unread_key


@transaction.atomic
def deliver(*, user, counts: dict[str, int], today: date, mail: bool) -> dict:
    """Put today's non-zero counts in the user's inbox (one item per kind and day) and, when
    `mail` and the user has an address, mail the kinds not yet mailed today as one digest.
    Returns {"created": n, "updated": n, "mailed": bool}."""
    created = updated = 0
    items = []
    for kind, count in counts.items():
        if count <= 0:
            continue
        item, was_created = (InboxItem.objects.select_for_update()
                             .get_or_create(user=user, day=today, kind=kind,
                                            defaults={"count": count}))
        if was_created:
            created += 1
        elif item.count != count:
            item.count = count
            item.save(update_fields=["count"])
            updated += 1
        items.append(item)
    to_mail = [item for item in items if item.emailed_at is None]
    mailed = False
    if mail and user.email and to_mail:
        with translation.override(settings.LANGUAGE_CODE):
            lines = [f"- {Kind(item.kind).label}: {item.count}" for item in to_mail]
            body = render_to_string("reminders/digest.txt", {"user": user, "lines": lines,
                                                               "day": today})
            send_mail(_("parkportal: your reminders for %(day)s") % {"day": today.isoformat()},
                      body, None, [user.email])
        InboxItem.objects.filter(pk__in=[i.pk for i in to_mail]).update(
            emailed_at=timezone.now())
        mailed = True
    if created or updated:
        cache.delete(unread_key(user.pk))
    return {"created": created, "updated": updated, "mailed": mailed}


@transaction.atomic
def set_mutes(*, user, kinds) -> set[str]:
    """The user's muted kinds become exactly `kinds`."""
    kinds = set(kinds)
    unknown = kinds - set(Kind.values)
    if unknown:
        raise ValidationError(_("Unknown kind of reminder."), code="unknown_kind")
    Mute.objects.filter(user=user).exclude(kind__in=kinds).delete()
    for kind in kinds:
        Mute.objects.get_or_create(user=user, kind=kind)
    return kinds


def mark_read(*, user) -> int:
    count = InboxItem.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now())
    cache.delete(unread_key(user.pk))
    return count
