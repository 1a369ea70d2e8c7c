"""Regions for the region tests: 陕西省 > 汉中市 > 测试县 (the `park` of tests/conftest.py, with
the hand-computed `small_park` data) and 汉中市 > 西乡园区 (a second park, a few figures of
its own); 陕西省 > 安康市 > 安康园区 (a park in another city)."""

from datetime import date
from decimal import Decimal as D

import pytest

from parkportal.roles import ADMIN, LEADER
from parks.models import Park, Region, RegionMember
from projects.models import AnnualPlan, Project, ProjectStage
from tests.conftest import PASSWORD, make_user  # noqa: F401
from tests.dashboard.conftest import report, small_park  # noqa: F401 (fixture)


@pytest.fixture
def regions(db):
    shaanxi = Region.objects.create(slug="shaanxi", name="陕西省", level="province")
    hanzhong = Region.objects.create(slug="hanzhong", name="汉中市", level="city", parent=shaanxi)
    county = Region.objects.create(slug="test-county", name="测试县", level="county",
                                   parent=hanzhong)
    ankang = Region.objects.create(slug="ankang", name="安康市", level="city", parent=shaanxi)
    return {"shaanxi": shaanxi, "hanzhong": hanzhong, "county": county, "ankang": ankang}


def _park_with_one_project(slug, name, region, industry, *, planned, completed, code):
    park = Park.objects.create(name=name, slug=slug, region=region, lag_yellow_points=5,
                               lag_red_points=20, not_started_red_months=6)
    project = Project.objects.create(
        park=park, code=code, name=f"{name}项目", industry=industry,
        total_investment=D("9000"), stage=ProjectStage.CONTINUING, is_industrial=True,
        actual_start=date(2023, 3, 1))
    AnnualPlan.objects.create(project=project, year=2024, planned_investment=D(planned),
                              industrial_investment=D(planned))
    report(project, 2, completed, completed)
    return park


@pytest.fixture
def placed(park, regions, small_park, industries):  # noqa: F811
    """`park` (small_park data) in the county; 西乡 directly in 汉中市; 安康 in 安康市."""
    park.region = regions["county"]
    park.save()
    xixiang = _park_with_one_project("xixiang", "西乡园区", regions["hanzhong"],
                                     industries["biomedicine"], planned="1000",
                                     completed="333.33", code="XX-1")
    ankang = _park_with_one_project("ankang-park", "安康园区", regions["ankang"],
                                    industries["green-food"], planned="700",
                                    completed="100", code="AK-1")
    return {"park": park, "xixiang": xixiang, "ankang": ankang}


def region_user(username, region, role=LEADER):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password=PASSWORD, first_name="赵市")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    RegionMember.objects.create(user=user, region=region)
    return user


@pytest.fixture
def city_leader(regions):
    return region_user("city_leader", regions["hanzhong"])


@pytest.fixture
def province_leader(regions):
    return region_user("province_leader", regions["shaanxi"])


@pytest.fixture
def region_admin(park):
    return make_user("region_admin", ADMIN, park, is_staff=True)
