"""Reminders: the daily command (JSON, dry run, idempotent inbox and mail), mutes, the inbox
page and the navbar count."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from enterprises.models import Demand
from projects.models import InvestmentLead, PreliminaryProcedure, ProgressReport
from reminders import selectors
from reminders.models import InboxItem, Mute
from tests.conftest import PASSWORD
from tests.staff.conftest import enterprise  # noqa: F401  (fixture)

DAY = date(2024, 5, 5)  # April's reports are due by 10 May: due, not late; March is late


def run(*args, day=DAY) -> dict:
    out = StringIO()
    call_command("send_reminders", *args, "--format", "json", "--date", day.isoformat(),
                 stdout=out)
    return {u["username"]: u for u in json.loads(out.getvalue())["users"]}


@pytest.fixture
def world(project, staff_user, enterprise, leader):  # noqa: F811
    ProgressReport.objects.create(project=project, year=2024, month=1, status="approved")
    ProgressReport.objects.create(project=project, year=2024, month=2, status="returned",
                                  return_reason="重填")
    Demand.objects.create(enterprise=enterprise, description="用工", assignee=staff_user,
                          due_on=DAY + timedelta(days=2))
    Demand.objects.create(enterprise=enterprise, description="远期", assignee=staff_user,
                          due_on=DAY + timedelta(days=30))
    PreliminaryProcedure.objects.create(project=project, kind="land", due_on=DAY - timedelta(1))
    PreliminaryProcedure.objects.create(project=project, kind="energy", status="done",
                                        due_on=DAY - timedelta(1), done_on=DAY - timedelta(2))
    InvestmentLead.objects.create(park=project.park, investor="某投资方", responsible=staff_user,
                                  next_action_on=DAY)
    InvestmentLead.objects.create(park=project.park, investor="已放弃", responsible=staff_user,
                                  next_action_on=DAY, stage="dropped",
                                  drop_reason="投资方转投他地")
    return project


def test_json_counts_each_kind(world, staff_user, leader):
    users = run("--dry-run")
    assert set(users[staff_user.username]) == {"username", "reports_due", "reports_late",
                                                "demands_due", "procedures_overdue",
                                                "leads_due"}
    # Feb (returned, due 10 Mar) and Mar (missing, due 10 Apr) are late; Apr (due 10 May)
    # is due. The demand in 30 days and the dropped lead and done procedure do not count.
    assert users[staff_user.username] == {
        "username": staff_user.username, "reports_due": 1, "reports_late": 2,
        "demands_due": 1, "procedures_overdue": 1, "leads_due": 1}
    assert users[leader.username]["reports_late"] == 0
    assert not InboxItem.objects.exists() and not mail.outbox  # dry run


def test_sending_twice_a_day_duplicates_nothing(world, staff_user, settings):
    settings.MAIL_CONFIGURED = True
    staff_user.email = "staff@example.test"
    staff_user.save()
    run()
    assert InboxItem.objects.filter(user=staff_user).count() == 5
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@example.test"] and "月报逾期: 2" in mail.outbox[0].body
    run()
    assert InboxItem.objects.filter(user=staff_user).count() == 5 and len(mail.outbox) == 1
    # The next day is a new day: new items, a new digest.
    run(day=DAY + timedelta(days=1))
    assert InboxItem.objects.filter(user=staff_user).count() == 10 and len(mail.outbox) == 2


def test_no_mail_unless_configured(world, staff_user, settings):
    settings.MAIL_CONFIGURED = False
    staff_user.email = "staff@example.test"
    staff_user.save()
    run()
    assert InboxItem.objects.filter(user=staff_user).exists() and not mail.outbox


def test_a_muted_kind_is_neither_counted_nor_delivered(client, world, staff_user):
    client.login(username=staff_user.username, password=PASSWORD)
    assert client.post(reverse("reminders:mutes"), {"muted": ["demands_due", "leads_due"]}
                       ).status_code == 302
    assert set(Mute.objects.values_list("kind", flat=True)) == {"demands_due", "leads_due"}
    users = run()
    assert users[staff_user.username]["demands_due"] == 0
    assert users[staff_user.username]["leads_due"] == 0
    assert not InboxItem.objects.filter(kind__in=["demands_due", "leads_due"]).exists()
    assert client.post(reverse("reminders:mutes"), {"muted": ["nonsense"]}).status_code == 302
    assert Mute.objects.count() == 2  # a bad kind changes nothing


def test_inbox_page_and_navbar_count(client, world, staff_user):
    run()
    client.login(username=staff_user.username, password=PASSWORD)
    page = client.get(reverse("reminders:inbox"))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="inbox-count">5<' in html and "月报逾期" in html
    client.post(reverse("reminders:read"))
    assert 'id="inbox-count"' not in client.get(reverse("home")).content.decode()
    assert selectors.unread_count(staff_user) == 0


def test_leads_due_goes_through_one_function(world, staff_user, monkeypatch):
    assert selectors.leads_due(staff_user, DAY) == 1
    assert selectors.leads_due(staff_user, DAY - timedelta(days=1)) == 0


def test_seeded_staff1_has_late_reports(db):
    call_command("seed_report", demo_users=True, password="Demo-pass-2024", stdout=StringIO())
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--format", "json", stdout=out)
    users = {u["username"]: u for u in json.loads(out.getvalue())["users"]}
    assert users["staff1"]["reports_late"] > 0
    assert not InboxItem.objects.exists()


def test_bad_date_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "2024-13-01", stdout=StringIO())
