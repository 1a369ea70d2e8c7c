"""The home page shows each person what is theirs to do."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from enterprises.models import ImportBatch
from projects.models import ProgressReport
from tests.conftest import PASSWORD


def test_staff_sees_missing_reports_demands_and_unvisited(client, staff_user, project,
                                                          enterprise, demand):
    client.login(username=staff_user.username, password=PASSWORD)
    response = client.get(reverse("home"))
    ctx = response.context
    assert [p.code for p in ctx["missing_reports"]] == [project.code]
    assert ctx["my_demands"] == [demand]
    assert [e.pk for e in ctx["not_visited"]] == [enterprise.pk]
    assert "awaiting_review" not in ctx
    today = timezone.localdate()
    ProgressReport.objects.create(project=project, year=today.year, month=today.month,
                                  status="submitted")
    enterprise.visits.create(staff=staff_user, visited_on=today - timedelta(days=6))
    ctx = client.get(reverse("home")).context
    assert ctx["missing_reports"] == [] and ctx["not_visited"] == []


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
