"""The API's personas: a token per persona of tests/conftest.py, and a second park."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from api.services import create_token
from enterprises.models import Enterprise
from parks.models import Park
from projects.models import AnnualPlan, ProgressReport, Project, ProjectStage

D = Decimal


def bearer(text: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


@pytest.fixture
def token_for(db):
    """token_for(user) -> the headers of a new token of `user`."""
    def make(user):
        return bearer(create_token(user=user)[1])
    return make


@pytest.fixture
def other_park(db, industries):
    park = Park.objects.create(name="另一园区", slug="otherpark")
    project = Project.objects.create(park=park, code="O-001", name="别的项目",
                                     industry=industries["other"],
                                     total_investment=D("500.00"))
    AnnualPlan.objects.create(project=project, year=2024, planned_investment=D("100.00"))
    Enterprise.objects.create(park=park, name="别的企业", credit_code="91610728MA0000001X",
                              contact_person="赵六", contact_phone="13800000009")
    return park


@pytest.fixture
def reports(project):
    """One report per status for `project` (2024): only the approved one is published."""
    rows = {}
    for month, status in ((1, "approved"), (2, "submitted"), (3, "draft"), (4, "returned")):
        rows[status] = ProgressReport.objects.create(
            project=project, year=2024, month=month, completed_investment=D("100.50") * month,
            fixed_asset_investment=D("10.00"), status=status,
            return_reason="请补充" if status == "returned" else "",
            stage=ProjectStage.NEW_START)
    return rows


@pytest.fixture
def enterprise(park, industries, staff_user):
    enterprise = Enterprise.objects.create(
        park=park, name="测试企业", credit_code="91610728MA0000002X",
        industry=industries["biomedicine"], contact_person="张联系",
        contact_phone="13912345678", registered_capital=D("1200.00"), employees=30,
        introduced_year=2024, settled_on=date(2024, 2, 1))
    enterprise.responsible.add(staff_user)
    return enterprise


@pytest.fixture
def seeded(db):
    call_command("seed_report", demo_users=True, password="Demo-pass-2024", stdout=StringIO())
