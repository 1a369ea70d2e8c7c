"""Writes for visits (走访) and demands (诉求)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Demand, Enterprise, Visit
from parkportal.permissions import can_log_visits, scope_to_park


def _check_may_log(user, enterprise_id):
    """Staff and admins, and only for an enterprise of their own park (the pages scope to the
    park; a direct call must not get round that)."""
    if not can_log_visits(user):
        raise PermissionDenied
    if not scope_to_park(Enterprise.objects.filter(pk=enterprise_id), user).exists():
        raise PermissionDenied


def _check_not_future(day, field):
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future")


@transaction.atomic
def log_visit(*, enterprise, user, visited_on, kind, notes="", demand: dict | None = None):
    """Record a visit by `user`; `demand` (category, description, due_on) records a demand
    raised at the visit as well."""
    _check_may_log(user, enterprise.pk)
    _check_not_future(visited_on, "visited_on")
    visit = Visit(enterprise=enterprise, staff=user, visited_on=visited_on, kind=kind,
                  notes=notes)
    visit._history_user = user
    visit.full_clean()
    visit.save()
    if demand and demand.get("description"):
        create_demand(enterprise=enterprise, user=user, visit=visit, **demand)
    return visit


@transaction.atomic
def create_demand(*, enterprise, user, description, category=Demand.Category.OTHER,
                  due_on=None, visit=None, assignee=None):
    _check_may_log(user, enterprise.pk)
    demand = Demand(enterprise=enterprise, visit=visit, category=category,
                    description=description, due_on=due_on, created_by=user,
                    assignee=assignee or user)
    demand._history_user = user
    demand.full_clean()
    demand.save()
    return demand


@transaction.atomic
def update_demand(*, demand, user, status, due_on=None, resolution="", assignee=None,
                  category=None, description=None):
    """Move a demand along open → in progress → resolved; resolving needs a resolution and
    stamps resolved_at; reopening clears it."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    _check_may_log(user, demand.enterprise_id)
    if status == Demand.Status.RESOLVED and not (resolution or "").strip():
        raise ValidationError({"resolution": _("Describe how the demand was resolved.")},
                              code="required")
    demand.status = status
    demand.due_on = due_on
    demand.resolution = (resolution or "").strip()
    if assignee is not None:
        demand.assignee = assignee
    if category is not None:
        demand.category = category
    if description is not None:
        demand.description = description
    if status == Demand.Status.RESOLVED:
        demand.resolved_at = demand.resolved_at or timezone.now()
    else:
        demand.resolved_at = None
    demand._history_user = user
    demand.full_clean()
    demand.save()
    return demand
