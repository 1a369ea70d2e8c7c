"""Fixtures of the staff-workflow tests: enterprises with visits and demands."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import Demand, Enterprise, Relation, Visit

# Valid GB 32100 codes (checksums verified by enterprises.credit_code).
CODES = ["91610728MA6YQ3W27J", "91610000220528561N", "916107006918715440"]


@pytest.fixture
def enterprise(park, industries, staff_user):
    """Served, assigned to staff_user, with personal contact data."""
    e = Enterprise.objects.create(
        park=park, name="陕西测试生物科技有限公司", credit_code=CODES[0],
        industry=industries["biomedicine"], relation=Relation.RESIDENT, origin="西安市",
        contact_person="赵六", contact_phone="13900001111", introduced_year=2024)
    e.responsible.add(staff_user)
    return e


@pytest.fixture
def other_enterprise(park, industries, other_staff):
    """Served, assigned to other_staff, visited yesterday."""
    e = Enterprise.objects.create(
        park=park, name="镇巴县测试食品有限公司", credit_code=CODES[1],
        industry=industries["green-food"], relation=Relation.MANAGED,
        contact_person="钱七", contact_phone="13800002222")
    e.responsible.add(other_staff)
    Visit.objects.create(enterprise=e, staff=other_staff,
                         visited_on=timezone.localdate() - timedelta(days=1), notes="例行走访")
    return e


@pytest.fixture
def demand(enterprise, staff_user):
    return Demand.objects.create(enterprise=enterprise, category=Demand.Category.LABOUR,
                                 description="缺少熟练工人30名", assignee=staff_user,
                                 created_by=staff_user,
                                 due_on=timezone.localdate() + timedelta(days=10))
