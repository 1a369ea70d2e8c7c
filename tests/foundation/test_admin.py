"""Every admin changelist, add and change page answers 200 for a superuser."""

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

    from enterprises.models import Demand, Enterprise, ImportBatch, Visit
    from parks.models import Park, QuarterClose, QuarterCloseCorrection
    from projects.models import InvestmentLead, LeadActivity, ProgressReport

    admin_user = User.objects.get(username="admin1")
    park = Park.objects.get(slug="zhenba")
    enterprise = Enterprise.objects.first()
    visit = Visit.objects.create(enterprise=enterprise, visited_on="2024-03-28", staff=admin_user)
    Demand.objects.create(enterprise=enterprise, visit=visit, description="用工需求")
    ImportBatch.objects.create(park=park, created_by=admin_user, file_name="a.xlsx",
                               file_sha256="0" * 64)
    lead = InvestmentLead.objects.create(park=park, investor="某投资方")
    LeadActivity.objects.create(lead=lead, happened_on="2024-03-01", note="首次接洽")
    close = QuarterClose.objects.create(park=park, year=2024, quarter=1, closed_by=admin_user,
                                        published_figures={})
    QuarterCloseCorrection.objects.create(quarter_close=close, reason="更正",
                                          changed_by=admin_user,
                                          progress_report=ProgressReport.objects.first())
    client.force_login(admin_user)
    return client


def test_every_admin_page_answers(seeded_admin_client):
    checked = 0
    for model, _model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        if info[0] not in OUR_APPS:  # third-party admins (e.g. the task queue) are read-only
            continue
        prefix = "admin:{}_{}".format(*info)
        assert seeded_admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200, info
        assert seeded_admin_client.get(reverse(f"{prefix}_add")).status_code == 200, info
        obj = model._default_manager.first()
        assert obj is not None, f"no sample row for {info}"
        response = seeded_admin_client.get(reverse(f"{prefix}_change", args=[obj.pk]))
        assert response.status_code == 200, info
        checked += 1
    assert checked >= 15


def test_admin_is_chinese(seeded_admin_client):
    response = seeded_admin_client.get(reverse("admin:index"))
    assert "项目" in response.content.decode()
