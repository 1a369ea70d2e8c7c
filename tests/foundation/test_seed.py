"""seed_report reproduces the report's figures (F1–F17) and is idempotent."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from enterprises.models import Enterprise
from projects.models import InvestmentLead, Project
from talent.models import TalentIntroduction

pytestmark = pytest.mark.django_db


def rollup_json(**options) -> dict:
    out = StringIO()
    call_command("rollup", park="zhenba", year=2024, quarter=1, format="json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def seeded(db):
    call_command("seed_report", stdout=StringIO())


def test_rollup_reproduces_the_report(seeded):
    figures = rollup_json()
    assert figures["park"] == "zhenba"
    assert (figures["year"], figures["quarter"]) == (2024, 1)
    assert figures["projects_planned"] == 13                                     # F1
    total = Decimal(figures["total_investment"])                                   # F2 近25亿
    assert Decimal("240000") < total < Decimal("250000")
    assert figures["annual_planned"] == "70000.00"                                 # F3
    assert figures["industrial_planned"] == "56000.00"                             # F4
    assert figures["major_preliminary"]["count"] == 1                              # F5
    assert figures["major_preliminary"]["total_investment"] == "190900.00"         # F6
    assert figures["preliminary_done"] == 6                                        # F7
    assert figures["new_starts"] == 3                                              # F8
    assert figures["continuing"] == 2                                              # F9
    fixed = Decimal(figures["fixed_asset_investment"])                             # F10 9000余万
    assert Decimal("9000") < fixed < Decimal("10000")
    assert figures["enterprises_introduced"] == 11                                 # F11
    assert figures["talents"] == {"total": 15, "phd": 5}                           # F15, F16
    assert figures["partners"] == 2                                                # F13
    assert figures["innovation_centers"] == 3                                      # F14
    assert figures["enterprises_served"] == 52                                     # F17
    assert figures["time_progress"] == "0.2500"
    assert figures["targets"]["annual_investment"] == "70000.00"
    for key in ["park", "year", "quarter", "projects_planned", "total_investment",
                "annual_planned", "industrial_planned", "completed_ytd", "completion_rate",
                "time_progress", "major_preliminary", "preliminary_done", "new_starts",
                "continuing", "fixed_asset_investment", "enterprises_introduced",
                "enterprises_served", "talents", "partners", "innovation_centers", "targets"]:
        assert key in figures


def test_projects_planned_to_start_after_march_are_not_yet_due(seeded):
    """Issue 12: the 8 seeded projects planned to start after 2024-03 are not lagging at Q1."""
    lights = rollup_json()["traffic_lights"]
    assert (lights["red"], lights["yellow"]) == (0, 0)
    assert lights["not_due"] == 8
    assert lights["green"] == 5


def test_the_eleven_enterprises_enter_as_landed_leads(seeded):
    """Issue 13: the 11 enterprises introduced in 2024 are landed leads linked to them,
    all landed in Q1 2024, so the 2024 Q1 roll-up counts 11 landed (F21)."""
    from projects.models import InvestmentLead

    figures = rollup_json()
    assert set(figures["investment"]) == {"leads_active", "negotiating", "signed",
                                          "signed_amount", "funds_in_place", "landed",
                                          "landing_rate"}
    assert figures["investment"]["landed"] == 11
    assert figures["investment"]["signed"] == 11
    assert figures["investment"]["landing_rate"] == "1.0000"
    leads = InvestmentLead.objects.filter(stage="landed")
    assert leads.count() == 11
    assert set(leads.values_list("enterprise__name", flat=True)) == set(
        Enterprise.objects.filter(introduced_year=2024).values_list("name", flat=True))
    assert all(lead.landed_on == lead.enterprise.settled_on for lead in leads)
    assert all(lead.is_illustrative for lead in leads)


def test_named_enterprises_are_those_of_the_report(seeded):
    named = set(Enterprise.objects.filter(is_illustrative=False).values_list("name", flat=True))
    assert named == {"上海诗丹德生物", "西安神灯骐骥生物", "成都金源鸿食品"}             # F12
    assert Enterprise.objects.filter(introduced_year=2024, name__in=named).count() == 3
    illustrative = Enterprise.objects.filter(is_illustrative=True)
    assert illustrative.count() == 49
    assert all(name.startswith("【示例】") for name in illustrative.values_list("name", flat=True))
    assert not TalentIntroduction.objects.exclude(person_name__startswith="【示例】").exists()


def test_seed_twice_changes_nothing(seeded):
    from projects.models import ProgressReport

    before = {
        "projects": list(Project.objects.values().order_by("pk")),
        "reports": list(ProgressReport.objects.values().order_by("pk")),
        "enterprises": list(Enterprise.objects.values().order_by("pk")),
        "leads": list(InvestmentLead.objects.values().order_by("pk")),
        "history": Project.history.count() + Enterprise.history.count()
        + InvestmentLead.history.count(),
    }
    out = StringIO()
    call_command("seed_report", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    after = {
        "projects": list(Project.objects.values().order_by("pk")),
        "reports": list(ProgressReport.objects.values().order_by("pk")),
        "enterprises": list(Enterprise.objects.values().order_by("pk")),
        "leads": list(InvestmentLead.objects.values().order_by("pk")),
        "history": Project.history.count() + Enterprise.history.count()
        + InvestmentLead.history.count(),
    }
    assert after == before


def test_demo_users_have_roles_and_the_given_password(db):
    out = StringIO()
    call_command("seed_report", demo_users=True, password="Demo-pass-2024", stdout=out)
    for username, group in [("staff1", "staff"), ("leader1", "leader"), ("admin1", "admin")]:
        user = User.objects.get(username=username)
        assert user.check_password("Demo-pass-2024")
        assert user.groups.filter(name=group).exists()
        assert user.park_member.park.slug == "zhenba"
    staff = User.objects.get(username="staff1")
    assert not staff.is_staff  # Django's flag only opens the admin
    responsible = Project.objects.filter(responsible=staff).count()
    assert 0 < responsible < Project.objects.count()
    admin1 = User.objects.get(username="admin1")
    # A park admin, not a superuser: the admin group's permissions open /admin/.
    assert not admin1.is_superuser and admin1.is_staff
    assert admin1.has_perm("enterprises.change_enterprise")
    assert not admin1.has_perm("projects.change_progressreport")


def test_demo_password_printed_once_when_generated(db):
    first, second = StringIO(), StringIO()
    call_command("seed_report", demo_users=True, stdout=first)
    call_command("seed_report", demo_users=True, stdout=second)
    assert "staff1 / " in first.getvalue()
    assert "staff1 / " not in second.getvalue()


def test_readable_table_is_chinese(seeded):
    out = StringIO()
    call_command("rollup", park="zhenba", year=2024, quarter=1, stdout=out)
    text = out.getvalue()
    assert "计划实施项目" in text and "13 个" in text
    assert "7.00 亿元" in text


def test_unknown_park_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rollup", park="nowhere", year=2024, quarter=1, stdout=StringIO())
