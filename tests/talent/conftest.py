from datetime import date

import pytest

from enterprises.models import Enterprise, Relation
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction


@pytest.fixture
def talent_world(park, staff_user):
    """A partner running an enclave centre; two talents: one employed by an enterprise
    `staff_user` is responsible for, one by another enterprise."""
    assigned = Enterprise.objects.create(park=park, name="分配企业",
                                         credit_code="91610728MA6YQ3W27J",
                                         relation=Relation.RESIDENT)
    assigned.responsible.add(staff_user)
    other = Enterprise.objects.create(park=park, name="其他企业", credit_code="91610728MA6YQ3W2BY",
                                      relation=Relation.RESIDENT)
    partner = PartnerOrganization.objects.create(park=park, name="中关村协同发展投资有限公司",
                                                 location="北京", field="科技成果转化")
    center = InnovationCenter.objects.create(park=park, name="北京飞地创新中心", kind="enclave",
                                             city="北京", partner=partner)
    mine = TalentIntroduction.objects.create(
        park=park, person_name="孙博士", degree="phd", field="中药材", employer=assigned,
        partner=partner, innovation_center=center, introduced_on=date(2024, 2, 1))
    theirs = TalentIntroduction.objects.create(
        park=park, person_name="周硕士", degree="master", field="食品加工", mode="flexible",
        employer=other, introduced_on=date(2023, 6, 1))
    return {"assigned": assigned, "other": other, "partner": partner, "center": center,
            "mine": mine, "theirs": theirs}
