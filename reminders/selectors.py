"""What each person is reminded of: counts per kind, computed from each app's own rules
(the report backlog of projects.selectors, open demands of enterprises.selectors, the
procedure's overdue rule beside its model, the leads' due rule of the leads app)."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache

from enterprises.selectors import open_demands_for
from parkportal.periods import previous_month
from parkportal.roles import ALL_ROLES
from projects.models import PreliminaryProcedure
from projects.selectors import backlog_for
from reminders.models import Kind, Mute

KINDS = tuple(Kind.values)
# A demand is "due" from this many days before its due date (and stays so while overdue).
DEMAND_DUE_SOON_DAYS = 3


def report_counts(user, today: date) -> tuple[int, int]:
    """(due, late): the ended months the user's projects owe a counted report for; late once
    the park's due day (`Park.report_due_day`) of the next month has passed."""
    last_ended = previous_month(today.year, today.month)
    due = late = 0
    for backlog in backlog_for(user, today=today):
        for owed in backlog.owed:
            if owed.key > last_ended:
                continue  # the current month is not due yet
            if owed.is_late(today):
                late += 1
            else:
                due += 1
    return due, late


def demands_due(user, today: date) -> int:
    """Open demands the user handles, due within DEMAND_DUE_SOON_DAYS days or overdue."""
    return (open_demands_for(user)
            .filter(due_on__lte=today + timedelta(days=DEMAND_DUE_SOON_DAYS)).count())


def procedures_overdue(user, today: date) -> int:
    """Preliminary procedures of the user's projects past their due date and still open."""
    return PreliminaryProcedure.objects.filter(PreliminaryProcedure.overdue_q(today),
                                               project__responsible=user).count()


def leads_due(user, today: date) -> int:
    """Lead follow-ups due today or earlier: the leads app's rule (`leads.selectors
    .leads_due_for`) when it is installed, else open leads whose next action date has come."""
    try:
        from leads.selectors import leads_due_for
    except ImportError:
        from projects.models import InvestmentLead, LeadStage

        return InvestmentLead.objects.filter(
            responsible=user, next_action_on__lte=today,
            stage__in=(LeadStage.LEAD, LeadStage.NEGOTIATING, LeadStage.SIGNED)).count()
    return leads_due_for(user, today).count()


def counts_for(user, today: date) -> dict[str, int]:
    """Every kind's count for one user, before mutes."""
    due, late = report_counts(user, today)
    return {Kind.REPORTS_DUE: due, Kind.REPORTS_LATE: late,
            Kind.DEMANDS_DUE: demands_due(user, today),
            Kind.PROCEDURES_OVERDUE: procedures_overdue(user, today),
            Kind.LEADS_DUE: leads_due(user, today)}


def muted_kinds(user) -> set[str]:
    return set(Mute.objects.filter(user=user).values_list("kind", flat=True))


def recipients():
    """Active users holding one of the roles, by username."""
    return (get_user_model().objects.filter(is_active=True, groups__name__in=ALL_ROLES)
            .distinct().order_by("username"))


def reminders(today: date) -> list[tuple[object, dict[str, int]]]:
    """(user, counts) for every recipient; a muted kind counts 0 (it is not sent)."""
    rows = []
    for user in recipients():
        counts = counts_for(user, today)
        for kind in muted_kinds(user):
            counts[kind] = 0
        rows.append((user, counts))
    return rows


UNREAD_CACHE_SECONDS = 300


def unread_key(user_id) -> str:
    return f"reminders:unread:{user_id}"


def unread_count(user) -> int:
    """The navbar's count of unread reminders. Kept in the cache for a few minutes so that a
    page costs no query for it; the inbox's own writes clear it (another process's cache
    catches up within UNREAD_CACHE_SECONDS: reminders arrive once a day)."""
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = user.inbox_items.filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
