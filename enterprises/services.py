"""Writes for visits (走访) and demands (诉求)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import (
    NATIONAL_CODE,
    Demand,
    Enterprise,
    IndustryMapping,
    Visit,
    normalize_national_code,
)
from parkportal.permissions import can_log_visits, park_of, scope_to_park
from parkportal.roles import is_admin


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


# --- industry mappings (national classification → the park's chain) -------------------------

@transaction.atomic
def save_industry_mapping(*, instance: IndustryMapping | None = None, user,
                          data: dict) -> IndustryMapping:
    """Create or change one of the admin's park's mappings of a national industry
    classification (GB/T 4754 code and/or name) to an industry chain."""
    if not is_admin(user):
        raise PermissionDenied
    park = instance.park if instance is not None else park_of(user)
    if park is None:
        raise ValidationError(_("Your account belongs to no park: mappings are kept by the "
                                "park's own administrators."), code="no_park")
    code = normalize_national_code(data.get("national_code") or "")
    name = " ".join((data.get("national_name") or "").split())
    errors = {}
    if code and not NATIONAL_CODE.fullmatch(code):
        errors["national_code"] = _("Not a GB/T 4754 code: a section letter A–T, optionally "
                                    "followed by 2–4 digits (C, C27, C2710).")
    if not code and not name:
        errors["national_name"] = _("Give the national classification's code, its name or "
                                    "both.")
    others = IndustryMapping.objects.filter(park=park)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if code and others.filter(national_code=code).exists():
        errors["national_code"] = _("The park already maps the code %(code)s.") % {"code": code}
    if name and others.filter(national_name=name).exists():
        errors["national_name"] = _("The park already maps %(name)s.") % {"name": name}
    if errors:
        raise ValidationError(errors)
    mapping = instance if instance is not None else IndustryMapping(park=park)
    mapping.national_code, mapping.national_name = code, name
    mapping.industry = data["industry"]
    mapping._history_user = user
    mapping.full_clean()
    mapping.save()
    return mapping


def delete_industry_mapping(*, instance: IndustryMapping, user) -> None:
    """Remove a mapping; enterprises keep the chain they were given."""
    if not is_admin(user):
        raise PermissionDenied
    instance._history_user = user
    instance.delete()
