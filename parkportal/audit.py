"""Audit trail for writes that bypass `Model.save()` (see docs/audit.md).

django-simple-history records every `save()` and `delete()` through signals. Three kinds of
write skip those signals: `QuerySet.update()`, `bulk_create()` and `bulk_update()`. The
`AuditedQuerySet` below is the default manager of every audited model; it performs the write
and then writes one historical row per affected object, in the same transaction, with the
user of the current request (HistoryRequestMiddleware) when there is one.

`QuerySet.delete()` needs nothing extra: simple-history connects `post_delete`, which makes
Django's collector delete row by row and send the signal for each object.

Code that writes with raw SQL (the enterprise import uses COPY) calls `record_history()`
itself, and wraps ORM bulk writes whose history it writes by hand in `history_suppressed()`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext

CREATED, CHANGED, DELETED = "+", "~", "-"

_suppressed: ContextVar[bool] = ContextVar("parkportal_audit_suppressed", default=False)


@contextmanager
def history_suppressed():
    """Within this block the audited manager writes no history: the caller writes it."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def _history_manager(model):
    history = getattr(model, "history", None)
    return history if hasattr(history, "bulk_history_create") else None


def record_history(model, objs, *, history_type: str = CHANGED, user=None, reason: str = "",
                   using: str | None = None, batch_size: int = 500) -> int:
    """Write one historical row per object of `objs` (instances or a queryset) as they are now.

    `history_type` is "+" (created), "~" (changed) or "-" (deleted). `user` defaults to the
    user of the current request. Returns the number of rows written.
    """
    manager = _history_manager(model)
    if manager is None:
        return 0
    if isinstance(objs, models.QuerySet):
        objs = list(objs)
    else:
        objs = [obj for obj in objs if obj.pk is not None]
    if not objs:
        return 0
    historical = manager.model
    # bulk_history_create knows "+" and "~"; "-" rows are built the same way.
    rows = manager.bulk_history_create(
        objs, batch_size=batch_size, update=history_type != CREATED, default_user=user,
        default_change_reason=reason)
    if history_type == DELETED:
        ids = [row.pk for row in rows if row.pk is not None]
        if ids:
            historical.objects.filter(pk__in=ids).update(history_type=DELETED)
    return len(objs)


def record_history_for_pks(model, pks, *, history_type: str = CHANGED, user=None,
                           reason: str = "", using: str | None = None) -> int:
    """Like `record_history`, for rows identified by primary key (after a raw-SQL write)."""
    qs = model._base_manager.using(using) if using else model._base_manager.all()
    total = 0
    pks = list(pks)
    for start in range(0, len(pks), 1000):
        total += record_history(model, qs.filter(pk__in=pks[start:start + 1000]),
                                history_type=history_type, user=user, reason=reason)
    return total


class AuditedQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes leave the same audit trail as `save()` does."""

    def update(self, **kwargs):
        if _suppressed.get() or _history_manager(self.model) is None:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if pks:
                record_history_for_pks(self.model, pks, history_type=CHANGED, using=self.db)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        if _suppressed.get() or _history_manager(self.model) is None:
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            with_pk = [obj for obj in created if obj.pk is not None]
            if len(with_pk) != len(created):  # backend did not return keys: re-read them
                raise NotImplementedError(
                    "bulk_create on an audited model needs a backend that returns primary keys")
            upsert = bool(kwargs.get("update_conflicts"))
            record_history(self.model, with_pk, history_type=CHANGED if upsert else CREATED)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        if _suppressed.get() or _history_manager(self.model) is None:
            return super().bulk_update(objs, fields, *args, **kwargs)
        objs = list(objs)
        with transaction.atomic(using=self.db):
            with history_suppressed():  # Django's bulk_update calls update() per batch
                count = super().bulk_update(objs, fields, *args, **kwargs)
            record_history_for_pks(self.model, [obj.pk for obj in objs],
                                   history_type=CHANGED, using=self.db)
        return count

    bulk_update.alters_data = True


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):
    """Default manager of audited models (see module docstring)."""


# --- showing the trail on an object's page -------------------------------------------------

NOISE_FIELDS = {"id", "version", "created_at", "updated_at", "park", "project", "enterprise",
                "is_illustrative"}


def _display(record, field):
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        try:
            related = getattr(record, field.name)
        except Exception:  # the related row is gone; the id is all we have
            return f"#{value}"
        if hasattr(related, "get_full_name"):
            return related.get_full_name() or related.get_username()
        return str(related)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return date_format(localtime(value), "Y-m-d H:i")
    return str(value)


def _is_figure_or_status(field) -> bool:
    """What a creation entry shows: amounts and statuses, not every column."""
    return isinstance(field, models.DecimalField) or bool(field.choices)


def history_entries(history_querysets, *, label=None, exclude_fields=(), limit: int = 50):
    """The change history of one or more objects, newest first, as dicts:
    when, user, kind ('+', '~', '-'), object (label), reason and changes
    [(field label, before, after)]. Fields in `exclude_fields` (personal data the viewer may
    not see) are left out; an update that changed only those shows no field values.
    """
    entries = []
    for history in history_querysets:
        records = list(history.select_related("history_user").order_by("history_date",
                                                                        "history_id"))
        if not records:
            continue
        model = records[0].__class__
        fields = [f for f in model.tracked_fields
                  if f.name not in NOISE_FIELDS and f.name not in exclude_fields]
        previous = {}
        for record in records:
            before = previous.get(record.id)
            changes = []
            if record.history_type == CHANGED and before is not None:
                for field in fields:
                    if getattr(before, field.attname) != getattr(record, field.attname):
                        changes.append((field.verbose_name, _display(before, field),
                                        _display(record, field)))
                if not changes:
                    previous[record.id] = record
                    continue  # only noise (version, timestamps) or hidden fields changed
            elif record.history_type == CREATED:
                changes = [(field.verbose_name, "", _display(record, field)) for field in fields
                           if _is_figure_or_status(field)
                           and getattr(record, field.attname) not in (None, "")]
            previous[record.id] = record
            user = record.history_user
            entries.append({
                "when": record.history_date,
                "user": (user.get_full_name() or user.get_username()) if user else "",
                "kind": record.history_type,
                "object": label(record) if label else str(record.instance_type._meta.verbose_name),
                "reason": record.history_change_reason or "",
                "changes": changes,
            })
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]
