"""Reads for the enterprise pages, visit coverage and the home page."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from enterprises.models import SERVED_RELATIONS, Demand, Enterprise, Visit
from parkportal.permissions import scope_to_park

COVERAGE_DAYS = 7
OPEN_DEMAND_STATUSES = (Demand.Status.OPEN, Demand.Status.IN_PROGRESS)


def coverage_since(today=None):
    """First day of the coverage window: the last 7 days are today and the 6 days before."""
    today = today or timezone.localdate()
    return today - timedelta(days=COVERAGE_DAYS - 1)


def visible_enterprises(user):
    return scope_to_park(Enterprise.objects.all(), user)


def served(queryset, on=None):
    """Enterprises the park serves on a date: resident or managed on behalf, settled by then and
    not moved out (the same rule as dashboard.selectors.served_enterprises, SPEC §3)."""
    on = on or timezone.localdate()
    return queryset.filter(
        Q(settled_on__isnull=True) | Q(settled_on__lte=on),
        Q(left_on__isnull=True) | Q(left_on__gt=on),
        relation__in=SERVED_RELATIONS)


def enterprise_list(user):
    """Enterprises of the user's park with their last visit and open demands."""
    last_visit = (Visit.objects.filter(enterprise=OuterRef("pk")).order_by()
                  .values("enterprise").annotate(last=Max("visited_on")).values("last"))
    open_demands = (Demand.objects.filter(enterprise=OuterRef("pk"),
                                          status__in=OPEN_DEMAND_STATUSES)
                    .order_by().values("enterprise").annotate(n=Count("pk")).values("n"))
    return (visible_enterprises(user).select_related("industry")
            .annotate(last_visit=Subquery(last_visit), open_demands=Subquery(open_demands)))


def not_visited_recently(user, *, today=None, only_assigned_to=None):
    """Served enterprises with no visit in the last 7 days (the weekly round, SPEC §1)."""
    since = coverage_since(today)
    qs = served(enterprise_list(user)).exclude(visits__visited_on__gte=since)
    if only_assigned_to is not None:
        qs = qs.filter(responsible=only_assigned_to)
    return qs.order_by("last_visit", "name")


def coverage_counts(user, *, today=None) -> dict:
    since = coverage_since(today)
    base = served(visible_enterprises(user))
    total = base.count()
    visited = base.filter(visits__visited_on__gte=since).distinct().count()
    return {"served": total, "visited": visited, "missing": total - visited,
            "rate": (Decimal(visited) / Decimal(total)) if total else None, "since": since}


def visible_demands(user):
    return scope_to_park(Demand.objects.all(), user, "enterprise__park").select_related(
        "enterprise", "assignee", "created_by")


def open_demands_for(user):
    """Open or in-progress demands the user handles or recorded, soonest due first."""
    return (visible_demands(user).filter(status__in=OPEN_DEMAND_STATUSES)
            .filter(Q(assignee=user) | Q(created_by=user, assignee__isnull=True))
            .order_by("due_on", "id"))
