"""The home page shows each person what is theirs to do."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from enterprises.models import ImportBatch
from projects.models import ProgressReport
from tests.conftest import PASSWORD


def test_staff_sees_owed_months_demands_and_unvisited(client, staff_user, project,
                                                     enterprise, demand):
    """The project started 2024-01 with no report: every ended month is owed, oldest first,
    each linking to its own month."""
    client.login(username=staff_user.username, password=PASSWORD)
    today = timezone.localdate()
    response = client.get(reverse("home"))
    ctx = response.context
    [backlog] = ctx["backlogs"]
    ended = (today.year - 2024) * 12 + today.month - 1  # 2024-01 .. last month
    assert backlog.project == project and len(backlog.missing) == ended
    assert backlog.missing[0].period == "2024-01" and ctx["reports_owed"] == ended
    assert f'href="/projects/{project.code}/progress/2024-01/"' in response.content.decode()
    assert ctx["my_demands"] == [demand]
    assert [e.pk for e in ctx["not_visited"]] == [enterprise.pk]
    assert "awaiting_review" not in ctx
    enterprise.visits.create(staff=staff_user, visited_on=today - timedelta(days=6))
    ProgressReport.objects.create(project=project, year=2024, month=1, status="submitted")
    ProgressReport.objects.create(project=project, year=2024, month=2, status="returned",
                                  return_reason="金额与台账不符")
    ProgressReport.objects.create(project=project, year=2024, month=3, status="draft")
    response = client.get(reverse("home"))
    ctx = response.context
    [backlog] = ctx["backlogs"]
    assert [o.period for o in backlog.returned] == ["2024-02"]
    assert [o.period for o in backlog.drafts] == ["2024-03"]
    assert backlog.missing[0].period == "2024-04" and len(backlog.missing) == ended - 3
    html = response.content.decode()
    assert "金额与台账不符" in html
    assert html.index("/progress/2024-02/") < html.index("/progress/2024-03/") < html.index(
        "/progress/2024-04/")
    assert ctx["not_visited"] == []


def test_staff_with_every_month_reported_sees_none_owed(client, staff_user, project):
    from parkportal.periods import months_from, previous_month

    today = timezone.localdate()
    ProgressReport.objects.bulk_create(
        ProgressReport(project=project, year=y, month=m, status="approved")
        for y, m in months_from((2024, 1), previous_month(today.year, today.month)))
    client.login(username=staff_user.username, password=PASSWORD)
    response = client.get(reverse("home"))
    assert response.context["backlogs"] == [] and response.context["reports_owed"] == 0


def test_leader_sees_reviews_and_lagging(client, leader, project, staff_user):
    ProgressReport.objects.create(project=project, year=2024, month=3, status="submitted",
                                  completed_investment=Decimal("100"), submitted_by=staff_user,
                                  submitted_at=timezone.now())
    client.login(username=leader.username, password=PASSWORD)
    ctx = client.get(reverse("home")).context
    assert [r.period for r in ctx["awaiting_review"]] == ["2024-03"]
    # 100 of 4000 planned = 2.5 % at month 3 (time progress 25 %): more than 10 points behind.
    assert [p.code for p in ctx["lagging"]] == [project.code]
    assert "missing_reports" not in ctx and "recent_imports" not in ctx


def test_admin_sees_recent_imports(client, admin_user, park):
    ImportBatch.objects.create(park=park, created_by=admin_user, file_name="企业名单.xlsx",
                               file_sha256="0" * 64, state="committed", created_count=52)
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.get(reverse("home"))
    assert [b.file_name for b in response.context["recent_imports"]] == ["企业名单.xlsx"]
    assert "企业名单.xlsx" in response.content.decode()
