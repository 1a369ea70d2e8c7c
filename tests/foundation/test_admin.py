"""Every admin changelist, add and change page answers, for an operator (superuser) and for
the demo park admin (admin1, not a superuser): 200, or 403 where the role may not add."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = {"parks", "projects", "enterprises", "talent", "auth"}


@pytest.fixture
def seeded_admin_client(client, db):
    call_command("seed_report", demo_users=True, password="Admin-pass-2024", verbosity=0,
                 stdout=open("/dev/null", "w"))
    from django.contrib.auth.models import User

    from enterprises.models import Demand, Enterprise, ImportBatch, IndustryMapping, Visit
    from parks.models import Industry, Park, QuarterClose, QuarterCloseCorrection
    from projects.models import InvestmentLead, LeadActivity, ProgressReport

    admin_user = User.objects.get(username="admin1")
    park = Park.objects.get(slug="zhenba")
    enterprise = Enterprise.objects.first()
    visit = Visit.objects.create(enterprise=enterprise, visited_on="2024-03-28", staff=admin_user)
    Demand.objects.create(enterprise=enterprise, visit=visit, description="用工需求")
    ImportBatch.objects.create(park=park, created_by=admin_user, file_name="a.xlsx",
                               file_sha256="0" * 64)
    IndustryMapping.objects.create(park=park, national_code="C27",
                                   industry=Industry.objects.first())
    lead = InvestmentLead.objects.create(park=park, investor="某投资方")
    LeadActivity.objects.create(lead=lead, happened_on="2024-03-01", note="首次接洽")
    close = QuarterClose.objects.create(park=park, year=2024, quarter=1, closed_by=admin_user,
                                        published_figures={})
    QuarterCloseCorrection.objects.create(quarter_close=close, reason="更正",
                                          changed_by=admin_user,
                                          progress_report=ProgressReport.objects.first())
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("who", ["operator", "admin1"])
def test_every_admin_page_answers(seeded_admin_client, who, rf):
    from django.contrib.auth.models import User

    user = (User.objects.create_superuser("operator", password="Op-pass-2024")
            if who == "operator" else User.objects.get(username="admin1"))
    seeded_admin_client.force_login(user)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        if info[0] not in OUR_APPS:  # third-party admins (e.g. the task queue) are read-only
            continue
        prefix = "admin:{}_{}".format(*info)
        request = rf.get("/")
        request.user = user
        changelist = seeded_admin_client.get(reverse(f"{prefix}_changelist"))
        if not model_admin.has_view_or_change_permission(request):
            assert who == "admin1" and info == ("auth", "group"), info  # roles are global
            assert changelist.status_code == 403
            continue
        assert changelist.status_code == 200, info
        may_add = model_admin.has_add_permission(request)
        add = seeded_admin_client.get(reverse(f"{prefix}_add"))
        assert add.status_code == (200 if may_add else 403), info
        obj = model_admin.get_queryset(request).first()
        assert obj is not None, f"no sample row for {info}"
        response = seeded_admin_client.get(reverse(f"{prefix}_change", args=[obj.pk]))
        assert response.status_code == 200, info
        checked += 1
    assert checked >= 15


def test_admin_is_chinese(seeded_admin_client):
    response = seeded_admin_client.get(reverse("admin:index"))
    assert "项目" in response.content.decode()
