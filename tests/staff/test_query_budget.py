"""Query budget of the list pages (issue 4, item 7): a whole request costs a fixed number of
queries, whatever the amount of data, and the list itself at most 3.

How a request's total splits (as a logged-in user, session in the database):

* framework, 2 queries: the session row, and the user row loaded together with the park
  membership, the park and the three role flags (``parkportal.auth.ParkportalBackend``).
  Measured as the total of a trivial login-required page rendering ``base.html``.
* the list itself, at most 3 queries:

  - ``/projects/``: the filter look-ups (industries, the park's staff, the default year) in one
    ``UNION ALL``; the ``COUNT`` (also the "N projects" heading); the page rows with the
    year's plan, completed amount and responsible names as subqueries.
  - ``/enterprises/`` and ``/enterprises/coverage/``: the look-ups (industries, and the
    served / visited counts of the coverage figures) in one ``UNION ALL``; the ``COUNT``; the
    page rows (last visit, open demands and whether the viewer may see contact details as
    subqueries).
  - ``/enterprises/demands/``: the ``COUNT`` and the page rows (2 queries; its filter choices
    are static).

The totals are pinned on a small data set (5 projects / enterprises / demands) and on a larger
one (60 of each: several pages), unfiltered, filtered, sorted and on a later page, for a staff
member, a leader and an admin.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from enterprises.models import Demand, Enterprise, Relation, Visit
from parkportal import urls as project_urls
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage, ReportStatus

FRAMEWORK = 2  # session + user (with park membership, park and roles)

# page → queries of the list itself, per role (staff, leader, admin)
LIST_QUERIES = {
    "/projects/": 3,
    "/enterprises/": 3,
    "/enterprises/coverage/": 3,
    "/enterprises/demands/": 2,
}

# Variants of each page: unfiltered, later pages, filtered, sorted.
PAGES = ("", "?page=last", "?per_page=1&page=2")
VARIANTS = {
    "/projects/": [*PAGES, "?sort=-name&is_major=true", "?industry={industry}",
                   "?responsible={staff}&year=2024", "?q=项目&stage=new_start&sort=stage"],
    "/enterprises/": [*PAGES, "?sort=-registered_capital", "?industry={industry}",
                      "?mine=true&not_visited=false", "?q=公司&relation=resident&sort=origin"],
    "/enterprises/coverage/": [*PAGES, "?industry={industry}&sort=-name", "?mine=true"],
    "/enterprises/demands/": [*PAGES, "?status=open&sort=due_on", "?mine=true",
                              "?overdue=true&sort=-enterprise"],
}


@login_required
def baseline_view(request):
    """A trivial page: the framework's own queries and nothing else."""
    from parkportal.permissions import park_of
    from parkportal.roles import roles_for

    roles_for(request.user), park_of(request.user)
    return render(request, "base.html")


urlpatterns = [*project_urls.urlpatterns, path("__baseline__/", baseline_view)]


def build_world(park, industries, staff, n: int, start: int = 0):
    """Projects, enterprises and demands number `start` … `n - 1`: each project with a plan,
    two counted reports and two responsible staff; each enterprise with assigned staff, a
    visit (most of them) and a demand."""
    year = 2024
    kinds = list(industries.values())
    today = timezone.localdate()
    for i in range(start, n):
        project = Project.objects.create(
            park=park, code=f"QB-{i:03d}", name=f"预算项目{i}", industry=kinds[i % len(kinds)],
            total_investment=Decimal(1000 + i), is_major=i % 3 == 0,
            stage=ProjectStage.NEW_START if i % 2 else ProjectStage.CONTINUING,
            location=f"片区{i % 4}")
        project.responsible.add(staff[i % len(staff)], staff[(i + 1) % len(staff)])
        AnnualPlan.objects.create(project=project, year=year, planned_investment=Decimal(500))
        for month in (1, 2):
            ProgressReport.objects.create(project=project, year=year, month=month,
                                          completed_investment=Decimal(10 + i),
                                          status=ReportStatus.APPROVED)
        enterprise = Enterprise.objects.create(
            park=park, name=f"预算测试公司{i:03d}", credit_code=f"91610000QB{i:08d}",
            industry=kinds[i % len(kinds)],
            relation=Relation.RESIDENT if i % 2 else Relation.MANAGED, origin=f"城市{i % 5}",
            registered_capital=Decimal(100 + i), employees=i)
        enterprise.responsible.add(staff[i % len(staff)])
        if i % 3:
            Visit.objects.create(enterprise=enterprise, staff=staff[0],
                                 visited_on=today - timedelta(days=i % 12))
        Demand.objects.create(enterprise=enterprise, description=f"诉求{i}",
                              assignee=staff[i % len(staff)], created_by=staff[0],
                              due_on=today + timedelta(days=i - n // 2))


def count_queries(client, url):
    client.get(url)  # warm-up: first-request caches (content types, translations …)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def personas(park, staff_user, other_staff, leader, admin_user):
    return {"staff": staff_user, "leader": leader, "admin": admin_user}


def totals(client, personas, industries, staff_user):
    seen = {}
    for role, user in personas.items():
        client.force_login(user)
        baseline = count_queries(client, "/__baseline__/")
        seen[(role, "baseline")] = baseline
        for page, variants in VARIANTS.items():
            for variant in variants:
                url = page + variant.format(industry=industries["biomedicine"].pk,
                                            staff=staff_user.pk)
                seen[(role, url)] = count_queries(client, url)
    return seen


def check_budget(seen):
    for (role, url), total in seen.items():
        if url == "baseline":
            assert total == FRAMEWORK, (role, total)
            continue
        page, _, query = url.partition("?")
        budget = FRAMEWORK + LIST_QUERIES[page]
        if not query:
            assert total == budget, (role, url, total)  # the pinned figure
        else:
            # e.g. a filter matching nothing skips the page query
            assert total <= budget, (role, url, total)
        assert total - seen[(role, "baseline")] <= 3, (role, url, total)


@pytest.mark.urls(__name__)
def test_list_pages_have_a_fixed_query_budget(client, park, industries, personas, staff_user,
                                              other_staff):
    build_world(park, industries, [staff_user, other_staff], 5)
    small = totals(client, personas, industries, staff_user)
    check_budget(small)

    build_world(park, industries, [staff_user, other_staff], 60, start=5)
    assert Project.objects.count() == Enterprise.objects.count() == Demand.objects.count() == 60
    large = totals(client, personas, industries, staff_user)
    check_budget(large)
    assert large == small  # the same count for every page, role and filter


def test_persistent_connections_on_postgresql(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("SQLite connections are not kept (parkportal.settings)")
    assert database["CONN_MAX_AGE"] > 0 and database["CONN_HEALTH_CHECKS"]
