"""Reads for the enterprise pages, visit coverage and the home page."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from enterprises.models import SERVED_RELATIONS, Demand, Enterprise, Visit
from parkportal.listing import Lookups, add_industries, industry_choices
from parkportal.permissions import may_see_personal_data, scope_to_park

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
    not moved out (SPEC §3; dashboard.selectors.enterprise_figures applies it in SQL)."""
    on = on or timezone.localdate()
    return queryset.filter(
        Q(settled_on__isnull=True) | Q(settled_on__lte=on),
        Q(left_on__isnull=True) | Q(left_on__gt=on),
        relation__in=SERVED_RELATIONS)


def enterprise_list(user):
    """Enterprises of the user's park with their last visit, open demands and whether `user`
    may see their contact details (`may_see_personal`)."""
    last_visit = (Visit.objects.filter(enterprise=OuterRef("pk")).order_by()
                  .values("enterprise").annotate(last=Max("visited_on")).values("last"))
    open_demands = (Demand.objects.filter(enterprise=OuterRef("pk"),
                                          status__in=OPEN_DEMAND_STATUSES)
                    .order_by().values("enterprise").annotate(n=Count("pk")).values("n"))
    return (visible_enterprises(user).select_related("industry")
            .annotate(last_visit=Subquery(last_visit), open_demands=Subquery(open_demands),
                      may_see_personal=may_see_personal_data(user)))


def not_visited_recently(user, *, today=None, only_assigned_to=None):
    """Served enterprises with no visit in the last 7 days (the weekly round, SPEC §1)."""
    since = coverage_since(today)
    qs = served(enterprise_list(user)).exclude(visits__visited_on__gte=since)
    if only_assigned_to is not None:
        qs = qs.filter(responsible=only_assigned_to)
    return qs.order_by("last_visit", "name")


def _coverage_aggregates(since) -> tuple:
    """(served, visited since `since`) as aggregates over served enterprises."""
    visited = Exists(Visit.objects.filter(enterprise=OuterRef("pk"), visited_on__gte=since))
    return Count("pk"), Count("pk", filter=Q(visited))


def _coverage(total: int, visited: int, since) -> dict:
    return {"served": total, "visited": visited, "missing": total - visited,
            "rate": (Decimal(visited) / Decimal(total)) if total else None, "since": since}


def coverage_counts(user, *, today=None) -> dict:
    """Served enterprises and how many of them were visited in the last 7 days (one query)."""
    since = coverage_since(today)
    total, visited = _coverage_aggregates(since)
    counts = served(visible_enterprises(user)).aggregate(total=total, visited=visited)
    return _coverage(counts["total"], counts["visited"], since)


class EnterpriseListLookups(Lookups):
    """The enterprise pages' filter choices (industries) and coverage figures
    (coverage_counts), read together in one query on first use."""

    def __init__(self, user, *, today=None):
        super().__init__()
        self.since = coverage_since(today)
        total, visited = _coverage_aggregates(self.since)
        add_industries(self)
        self.add("coverage", served(visible_enterprises(user)), key=total, num=visited,
                 aggregate=True)

    def industries(self):
        return industry_choices(self)

    def coverage(self) -> dict:
        """Same answer as coverage_counts(user)."""
        rows = self.rows("coverage")
        total, visited = rows[0][:2] if rows else (0, 0)
        return _coverage(total, visited, self.since)


def visible_demands(user):
    return scope_to_park(Demand.objects.all(), user, "enterprise__park").select_related(
        "enterprise", "assignee", "created_by")


def open_demands_for(user):
    """Open or in-progress demands the user handles or recorded, soonest due first."""
    return (visible_demands(user).filter(status__in=OPEN_DEMAND_STATUSES)
            .filter(Q(assignee=user) | Q(created_by=user, assignee__isnull=True))
            .order_by("due_on", "id"))
