"""The reporting calendar: what a project owes (home page), 报送情况 per month, approve-all,
the park's due day and the future-month lock."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parkportal.once import new_token
from parkportal.periods import months_from, next_month, report_due_on
from parks import services as park_services
from projects import selectors, services
from projects.models import ProgressReport, Project, ProjectStage
from tests.conftest import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _report(project, year, month, status, submitted_on=None, **extra):
    at = datetime(*submitted_on, 9, 0, tzinfo=SHANGHAI) if submitted_on else None
    return ProgressReport.objects.create(project=project, year=year, month=month,
                                         status=status, submitted_at=at, **extra)


def test_due_date_is_the_parks_day_of_the_next_month():
    assert report_due_on(2024, 3, 10) == date(2024, 4, 10)
    assert report_due_on(2024, 12, 5) == date(2025, 1, 5)
    assert next_month(2024, 12) == (2025, 1)
    assert months_from((2024, 11), (2025, 2)) == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
    assert months_from((2025, 2), (2025, 1)) == []


def test_backlog_lists_returned_drafts_and_missing_months_oldest_first(project, staff_user):
    _report(project, 2024, 1, "approved", (2024, 2, 3))
    _report(project, 2024, 2, "returned", return_reason="数字有误")
    _report(project, 2024, 4, "draft")
    _report(project, 2024, 5, "submitted", (2024, 6, 20))
    [backlog] = selectors.backlog_for(staff_user, today=date(2024, 8, 5))
    assert [o.period for o in backlog.returned] == ["2024-02"]
    assert backlog.returned[0].report.return_reason == "数字有误"
    assert [o.period for o in backlog.drafts] == ["2024-04"]
    # Jan (approved) and May (submitted) count; August has not ended.
    assert [o.period for o in backlog.missing] == ["2024-03", "2024-06", "2024-07"]
    # July is due by 10 August: not late on the 5th, late on the 11th.
    assert [o.is_late(date(2024, 8, 5)) for o in backlog.missing] == [True, True, False]
    assert backlog.missing[-1].is_late(date(2024, 8, 11))


def test_reporting_start(project, staff_user, park, industries):
    # No report: the earlier of the actual start (2024-01-10) and the first plan year.
    [backlog] = selectors.backlog_for(staff_user, today=date(2024, 3, 1))
    assert [o.period for o in backlog.missing] == ["2024-01", "2024-02"]
    # A first report sets the start: no month before it is asked for.
    project.actual_start = date(2023, 6, 1)
    project.save()
    _report(project, 2024, 2, "approved")
    [backlog] = selectors.backlog_for(staff_user, today=date(2024, 5, 1))
    assert [o.period for o in backlog.missing] == ["2024-03", "2024-04"]
    # A project that no longer reports owes nothing; one of someone else is not listed.
    project.stage = ProjectStage.OPERATING
    project.save()
    assert selectors.backlog_for(staff_user, today=date(2024, 5, 1)) == []


def test_reporting_state_uses_the_due_day(project, park):
    due = report_due_on(2024, 3, park.report_due_day)
    assert due == date(2024, 4, 10)
    assert selectors.reporting_state(None, due) == selectors.MISSING
    on_time = _report(project, 2024, 3, "approved", (2024, 4, 10))
    assert selectors.reporting_state(on_time, due) == selectors.REPORTED_ON_TIME
    on_time.submitted_at = datetime(2024, 4, 11, 0, 30, tzinfo=SHANGHAI)
    assert selectors.reporting_state(on_time, due) == selectors.REPORTED_LATE
    on_time.status = "returned"
    assert selectors.reporting_state(on_time, due) == selectors.RETURNED
    on_time.status = "draft"
    assert selectors.reporting_state(on_time, due) == selectors.DRAFT


@pytest.fixture
def four_projects(park, industries, staff_user, other_staff, project):
    projects = [project]
    for n in range(2, 5):
        p = Project.objects.create(park=park, code=f"T-00{n}", name=f"测试项目{n}",
                                   industry=industries["biomedicine"],
                                   total_investment=Decimal("1000"),
                                   stage=ProjectStage.CONTINUING, actual_start=date(2024, 1, 5))
        p.responsible.add(staff_user if n % 2 else other_staff)
        projects.append(p)
    return projects


def test_reporting_status_counts_per_state_and_person(four_projects, staff_user, other_staff,
                                                      leader, park):
    one, two, three, four = four_projects
    _report(one, 2024, 3, "approved", (2024, 4, 2))
    _report(two, 2024, 3, "submitted", (2024, 4, 12))  # after the 10th: late
    _report(three, 2024, 3, "returned", (2024, 4, 1), return_reason="缺照片")
    status = selectors.reporting_status(leader, year=2024, month=3)
    assert status.due_on == date(2024, 4, 10)
    assert {r.project.code: r.state for r in status.rows} == {
        "T-001": "on_time", "T-002": "late", "T-003": "returned", "T-004": "missing"}
    assert status.counts == {"on_time": 1, "late": 1, "returned": 1, "draft": 0, "missing": 1}
    assert status.reported == 2 and status.rate == Decimal("0.5")
    people = {p["user"].username: p for p in status.people}
    assert people[staff_user.username]["expected"] == 2  # T-001, T-003
    assert people[staff_user.username]["returned"] == 1
    assert people[other_staff.username]["late"] == 1 and people[other_staff.username][
        "missing"] == 1
    assert [r.project.code for r in status.submitted] == ["T-002"]
    # The park's due day moves the line: due the 15th, T-002 was on time.
    park.report_due_day = 15
    park.save()
    status = selectors.reporting_status(leader, year=2024, month=3)
    assert status.counts["late"] == 0 and status.counts["on_time"] == 2


def test_reporting_page_and_approve_all(client, four_projects, leader, staff_user):
    one, two, three, _four = four_projects
    a = _report(one, 2024, 3, "submitted", (2024, 4, 2))
    b = _report(two, 2024, 3, "submitted", (2024, 4, 3))
    _report(three, 2024, 3, "approved", (2024, 4, 1))
    client.login(username=leader.username, password=PASSWORD)
    url = reverse("projects:reporting", kwargs={"period": "2024-03"})
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "报送情况" in html and 'id="approve-all"' in html
    assert sorted(page.context["approve_values"]) == sorted([f"{a.pk}:{a.version}",
                                                             f"{b.pk}:{b.version}"])
    # B changes after the page was shown (returned and resubmitted): it is skipped.
    services.return_report(report=b, user=leader, version=b.version, reason="补充说明")
    b.refresh_from_db()
    response = client.post(reverse("projects:reporting_approve", kwargs={"period": "2024-03"}),
                           {"report": page.context["approve_values"]}, follow=True)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "approved" and a.reviewed_by == leader
    assert b.status == "returned"  # not approved behind the leader's back
    text = response.content.decode()
    assert "已审核通过 1 份月报" in text and "T-002" in text
    assert [h.status for h in a.history.order_by("history_date")] == ["submitted", "approved"]


def test_staff_cannot_approve_all(client, project, staff_user):
    report = _report(project, 2024, 3, "submitted", (2024, 4, 2))
    client.login(username=staff_user.username, password=PASSWORD)
    url = reverse("projects:reporting_approve", kwargs={"period": "2024-03"})
    assert client.post(url, {"report": [f"{report.pk}:{report.version}"]}).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_reporting_page_without_month_opens_the_last_ended_month(client, leader):
    client.login(username=leader.username, password=PASSWORD)
    today = timezone.localdate()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    response = client.get(reverse("projects:reporting_latest"))
    assert response["Location"] == f"/projects/reporting/{year}-{month:02d}/"
    future = next_month(today.year, today.month)
    assert client.get(reverse("projects:reporting", kwargs={"period": future})
                      ).status_code == 404


def test_a_future_month_shows_no_form_and_takes_no_write(client, project, staff_user):
    client.login(username=staff_user.username, password=PASSWORD)
    today = timezone.localdate()
    future = next_month(today.year, today.month)
    url = reverse("projects:progress", kwargs={"code": project.code, "period": future})
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert page.context["is_future"] and 'name="completed_investment"' not in (
        page.content.decode())
    response = client.post(url, {"version": "0", "completed_investment": "1",
                                 "fixed_asset_investment": "0", "stage": "new_start",
                                 "action": "save", "form_token": new_token()})
    assert response.status_code == 200 and not ProgressReport.objects.exists()
    assert f"{future[0]}-{future[1]:02d}" in response.content.decode()


def test_park_admin_sets_the_due_day(client, admin_user, park, leader):
    client.login(username=admin_user.username, password=PASSWORD)
    url = reverse("parks:settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {"report_due_day": "31"})
    assert response.status_code == 200 and "1 到 28" in response.content.decode()
    park.refresh_from_db()
    assert park.report_due_day == 10  # the documented default, unchanged
    assert client.post(url, {"report_due_day": "5"}).status_code == 302
    park.refresh_from_db()
    assert park.report_due_day == 5
    with pytest.raises(PermissionDenied):
        park_services.save_park_settings(park=park, user=leader, data={"report_due_day": 7})
    with pytest.raises(ValidationError):
        park_services.save_park_settings(park=park, user=admin_user, data={"report_due_day": 0})


@pytest.fixture
def seeded(db):
    call_command("seed_report", demo_users=True, password="Demo-pass-2024", stdout=StringIO())


def test_seeded_staff1_home_links_the_oldest_missing_month(client, seeded):
    client.login(username="staff1", password="Demo-pass-2024")
    html = client.get(reverse("home")).content.decode()
    assert 'href="/projects/ZB2024-02/progress/2024-04/"' in html
    first = html.index('href="/projects/ZB2024-02/progress/')
    assert html[first:].startswith('href="/projects/ZB2024-02/progress/2024-04/"')
