"""The enterprise rules, each written once beside its model (enterprises.models): their ORM and
SQL forms select the same rows on random data, and the pages and the dashboard agree.

- a served enterprise: `served_q` / `served_sql`;
- the visit window: `in_visit_window_q`, `visited_in_window` / `visit_window_sql`;
- the coverage rate: the enterprise pages (ORM, `coverage_aggregates`) and the dashboard's
  one-pass SQL (`dashboard.selectors.enterprise_figures`), rate by `coverage_rate`;
- an open demand: by status (`open_demand_q`, `overdue_demand_q`, `Demand.is_overdue`) and on
  a day (`open_demand_on_q`, the dashboard's), equal on data the services wrote.
"""

import random
from datetime import date, timedelta

import pytest
from django.db import connection

from dashboard import selectors as dashboard
from enterprises import selectors, services
from enterprises.models import (
    OPEN_DEMAND_STATUSES,
    SERVED_RELATIONS,
    VISIT_WINDOW_DAYS,
    Demand,
    Enterprise,
    Relation,
    Visit,
    coverage_rate,
    in_visit_window_q,
    open_demand_on_q,
    open_demand_q,
    overdue_demand_q,
    served_q,
    served_sql,
    visit_window,
    visit_window_sql,
    visited_in_window,
)
from parkportal.money import ratio
from parkportal.periods import Period, quarter_of
from parks.models import Park
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
START = date(2024, 1, 1)
CODES = iter(f"91610728RU{n:07d}X" for n in range(100_000))


def ids(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return {row[0] for row in cursor.fetchall()}


def some_day(rng, span=120):
    return START + timedelta(days=rng.randrange(span))


def random_enterprises(park, rng, n=40):
    """Every relation, dates missing or around the days the tests ask about."""
    rows = []
    for i in range(n):
        settled = None if rng.random() < 0.3 else some_day(rng)
        left = None if rng.random() < 0.6 else some_day(rng)
        rows.append(Enterprise(park=park, name=f"企业{park.pk}-{i}", credit_code=next(CODES),
                               relation=rng.choice(list(Relation)), settled_on=settled,
                               left_on=left))
    return Enterprise.objects.bulk_create(rows)


def random_visits(enterprises, user, rng, n=80):
    Visit.objects.bulk_create(Visit(enterprise=rng.choice(enterprises), staff=user,
                                    visited_on=some_day(rng)) for _ in range(n))


def days_to_ask(rng, enterprises):
    """Random days and the edges: each settled / moved-out day and the day before it."""
    edges = [d for e in enterprises for d in (e.settled_on, e.left_on) if d]
    picked = rng.sample(edges, min(6, len(edges)))
    return [some_day(rng) for _ in range(4)] + picked + [d - timedelta(days=1) for d in picked]


# --- a served enterprise -------------------------------------------------------------------


def test_served_relations():
    assert set(SERVED_RELATIONS) == {"resident", "managed"}


@pytest.mark.parametrize("seed", range(4))
def test_served_orm_and_sql_select_the_same_enterprises(park, seed):
    rng = random.Random(seed)
    enterprises = random_enterprises(park, rng)
    table = Enterprise._meta.db_table
    for day in days_to_ask(rng, enterprises):
        orm = set(Enterprise.objects.filter(served_q(day)).values_list("pk", flat=True))
        condition, params = served_sql(day, "e.")
        sql = ids(f"SELECT e.id FROM {table} e WHERE {condition}", params)
        python = {e.pk for e in enterprises if e.relation in SERVED_RELATIONS
                  and (e.settled_on is None or e.settled_on <= day)
                  and (e.left_on is None or e.left_on > day)}
        assert orm == sql == python, day
        assert set(selectors.served(Enterprise.objects.all(), day)
                   .values_list("pk", flat=True)) == orm
        # Through a relation: visits to served enterprises.
        assert set(Visit.objects.filter(served_q(day, "enterprise__"))
                   .values_list("enterprise_id", flat=True).distinct()) <= orm


# --- the visit window ----------------------------------------------------------------------


def test_visit_window_is_the_day_and_the_six_before():
    first, last = visit_window(date(2024, 3, 31))
    assert (first, last) == (date(2024, 3, 25), date(2024, 3, 31))
    assert (last - first).days + 1 == VISIT_WINDOW_DAYS == 7
    assert selectors.coverage_since(date(2024, 3, 31)) == first
    assert selectors.COVERAGE_DAYS == VISIT_WINDOW_DAYS


@pytest.mark.parametrize("seed", range(4))
def test_visit_window_orm_and_sql_select_the_same_visits(park, staff_user, seed):
    rng = random.Random(seed)
    enterprises = random_enterprises(park, rng, n=15)
    random_visits(enterprises, staff_user, rng)
    table = Visit._meta.db_table
    visits = list(Visit.objects.all())
    for as_of in [some_day(rng) for _ in range(6)]:
        orm = set(Visit.objects.filter(in_visit_window_q(as_of)).values_list("pk", flat=True))
        condition, params = visit_window_sql(as_of)
        sql = ids(f"SELECT id FROM {table} WHERE {condition}", params)
        first, last = visit_window(as_of)
        python = {v.pk for v in visits if first <= v.visited_on <= last}
        assert orm == sql == python, as_of
        # Per enterprise (Exists), and visits after the day do not count.
        visited = set(Enterprise.objects.filter(visited_in_window(as_of))
                      .values_list("pk", flat=True))
        assert visited == ids(f"SELECT DISTINCT enterprise_id FROM {table} WHERE {condition}",
                              params)
        assert visited == {v.enterprise_id for v in visits if first <= v.visited_on <= as_of}


# --- the coverage rate ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_coverage_pages_and_dashboard_agree(park, staff_user, admin_user, seed):
    """Served on the day, visited in its window, and the rate: the enterprise pages' ORM
    (coverage_counts, the list's look-ups, not_visited_recently) and the dashboard's SQL."""
    rng = random.Random(seed)
    enterprises = random_enterprises(park, rng)
    random_visits(enterprises, staff_user, rng, n=120)
    other = Park.objects.create(name="另一园区", slug="other", county="县", city="市",
                                province="省")
    other_staff = make_user("staff_elsewhere", None, other)
    random_visits(random_enterprises(other, rng, n=10), other_staff, rng, n=30)
    for as_of in days_to_ask(rng, enterprises):
        period = Period(as_of.year, quarter_of(as_of.month))
        sql = dashboard.enterprise_figures(park, period, as_of)
        figure = dashboard.visit_coverage(sql, as_of)
        page = selectors.coverage_counts(admin_user, today=as_of)
        lookups = selectors.EnterpriseListLookups(admin_user, today=as_of).coverage()
        assert page == lookups
        assert (page["served"], page["visited"]) == (figure["served"], figure["visited"]), as_of
        assert page["rate"] == figure["rate"] == ratio(page["visited"], page["served"])
        assert page["since"] == figure["window_start"] == visit_window(as_of)[0]
        missing = selectors.not_visited_recently(admin_user, today=as_of)
        assert missing.count() == page["missing"] == page["served"] - page["visited"]
        # By hand.
        first, last = visit_window(as_of)
        served = {e.pk for e in Enterprise.objects.filter(park=park, relation__in=["resident",
                                                                               "managed"])
                  if (e.settled_on is None or e.settled_on <= as_of)
                  and (e.left_on is None or e.left_on > as_of)}
        visited = {v.enterprise_id for v in Visit.objects.filter(enterprise__park=park)
                   if first <= v.visited_on <= last} & served
        assert (page["served"], page["visited"]) == (len(served), len(visited))


def test_coverage_rate_is_the_rate_rounding():
    assert coverage_rate(1, 3) == ratio(1, 3)
    assert coverage_rate(0, 0) is None


# --- an open demand ------------------------------------------------------------------------


def test_open_demand_statuses():
    assert set(OPEN_DEMAND_STATUSES) == {"open", "in_progress"}
    assert selectors.OPEN_DEMAND_STATUSES is OPEN_DEMAND_STATUSES


@pytest.mark.parametrize("seed", range(3))
def test_open_demand_by_status_and_on_a_day_agree(park, admin_user, seed):
    """Demands written through the services (create, move along, resolve, reopen): open now
    by status is open today by the dates (the dashboard's rule); overdue likewise, in the ORM,
    in Python (`is_overdue`), on the demands page's filter and on the dashboard."""
    from django.utils import timezone

    from enterprises.filters import DemandFilter

    rng = random.Random(seed)
    enterprises = random_enterprises(park, rng, n=5)
    today = timezone.localdate()
    demands = []
    for _step in range(30):
        if not demands or rng.random() < 0.4:
            due = rng.choice([None, today - timedelta(days=rng.randrange(1, 9)),
                              today, today + timedelta(days=rng.randrange(1, 9))])
            demands.append(services.create_demand(
                enterprise=rng.choice(enterprises), user=admin_user,
                description=f"诉求{_step}", due_on=due))
            continue
        demand = Demand.objects.get(pk=rng.choice(demands).pk)
        status = rng.choice(list(Demand.Status))
        services.update_demand(demand=demand, user=admin_user, status=status,
                               due_on=demand.due_on, resolution="已解决" if status == "resolved"
                               else "")
    by_status = set(Demand.objects.filter(open_demand_q()).values_list("pk", flat=True))
    by_dates = set(Demand.objects.filter(open_demand_on_q(today)).values_list("pk", flat=True))
    assert by_status == by_dates
    assert 0 < len(by_status) < Demand.objects.count()
    overdue = set(Demand.objects.filter(overdue_demand_q(today)).values_list("pk", flat=True))
    assert overdue == {d.pk for d in Demand.objects.all() if d.is_overdue(today)}
    assert overdue <= by_status
    request = type("Request", (), {"user": admin_user})()
    filtered = DemandFilter({"overdue": "true"}, queryset=Demand.objects.all(), request=request)
    assert set(filtered.qs.values_list("pk", flat=True)) == overdue
    figures = dashboard.open_demand_figures(park, today)
    assert figures == {"total": len(by_status), "overdue": len(overdue)}
