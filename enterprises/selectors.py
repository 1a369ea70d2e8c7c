"""Reads for the enterprise pages, visit coverage and the home page."""

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

# The rules (served, visit window, coverage rate, open demand) live beside their models;
# the old names stay importable from here.
from enterprises.models import (
    OPEN_DEMAND_STATUSES,  # noqa: F401
    Demand,
    Enterprise,
    IndustryMapping,
    Visit,
    coverage_aggregates,
    coverage_rate,
    open_demand_q,
    served_q,
    visit_window,
    visited_in_window,
)
from enterprises.models import VISIT_WINDOW_DAYS as COVERAGE_DAYS  # noqa: F401
from parkportal.listing import Lookups, add_industries, industry_choices
from parkportal.permissions import may_see_personal_data, scope_to_park


def coverage_since(today=None):
    """First day of the visit window ending today: today and the 6 days before."""
    return visit_window(today or timezone.localdate())[0]


def visible_enterprises(user):
    return scope_to_park(Enterprise.objects.all(), user)


def served(queryset, on=None):
    """Enterprises the park serves on a date (enterprises.models.served_q; dashboard.selectors.
    enterprise_figures applies its SQL form)."""
    return queryset.filter(served_q(on or timezone.localdate()))


def enterprise_list(user):
    """Enterprises of the user's park with their last visit, open demands and whether `user`
    may see their contact details (`may_see_personal`)."""
    last_visit = (Visit.objects.filter(enterprise=OuterRef("pk")).order_by()
                  .values("enterprise").annotate(last=Max("visited_on")).values("last"))
    open_demands = (Demand.objects.filter(open_demand_q(), enterprise=OuterRef("pk"))
                    .order_by().values("enterprise").annotate(n=Count("pk")).values("n"))
    return (visible_enterprises(user).select_related("industry")
            .annotate(last_visit=Subquery(last_visit), open_demands=Subquery(open_demands),
                      may_see_personal=may_see_personal_data(user)))


def not_visited_recently(user, *, today=None, only_assigned_to=None):
    """Served enterprises with no visit in the last 7 days (the weekly round, SPEC §1)."""
    today = today or timezone.localdate()
    qs = served(enterprise_list(user), today).filter(~visited_in_window(today))
    if only_assigned_to is not None:
        qs = qs.filter(responsible=only_assigned_to)
    return qs.order_by("last_visit", "name")


def _coverage(total: int, visited: int, since) -> dict:
    return {"served": total, "visited": visited, "missing": total - visited,
            "rate": coverage_rate(visited, total), "since": since}


def coverage_counts(user, *, today=None) -> dict:
    """Served enterprises and how many of them were visited in the last 7 days (one query)."""
    today = today or timezone.localdate()
    counts = served(visible_enterprises(user), today).aggregate(**coverage_aggregates(today))
    return _coverage(counts["served"], counts["visited"], coverage_since(today))


class EnterpriseListLookups(Lookups):
    """The enterprise pages' filter choices (industries) and coverage figures
    (coverage_counts), read together in one query on first use."""

    def __init__(self, user, *, today=None):
        super().__init__()
        today = today or timezone.localdate()
        self.since = coverage_since(today)
        coverage = coverage_aggregates(today)
        add_industries(self)
        self.add("coverage", served(visible_enterprises(user), today), key=coverage["served"],
                 num=coverage["visited"], aggregate=True)

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
    return (visible_demands(user).filter(open_demand_q())
            .filter(Q(assignee=user) | Q(created_by=user, assignee__isnull=True))
            .order_by("due_on", "id"))


def visible_industry_mappings(user):
    """The national-classification → chain mappings of the user's park."""
    return scope_to_park(IndustryMapping.objects.select_related("industry", "park"), user)
