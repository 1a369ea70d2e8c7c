"""`manage.py generate_demo --parks N` (issue 15, item 7): many small parks in one load."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from enterprises.models import Demand, Enterprise, Visit
from parks.models import Park, ParkMember
from projects import summary
from projects.models import AnnualPlan, ProgressReport, Project
from talent.models import TalentIntroduction

pytestmark = pytest.mark.django_db


def generate(**options):
    out = StringIO()
    call_command("generate_demo", park="prov", years=2, end_year=2024, stdout=out, **options)
    return out.getvalue()


def test_parks_each_get_their_own_data():
    output = generate(parks=4, projects=3, enterprises=5, demands=2, talents=1)
    parks = list(Park.objects.filter(slug__startswith="prov-").order_by("slug"))
    assert [p.slug for p in parks] == ["prov-0001", "prov-0002", "prov-0003", "prov-0004"]
    assert "4 parks prov-0001 … prov-0004" in output
    assert {p.province for p in parks} == {"陕西省"}
    assert len({p.city for p in parks}) == 4  # spread over the province's cities
    for park in parks:
        projects = Project.objects.filter(park=park)
        assert projects.count() == 3
        assert AnnualPlan.objects.filter(project__park=park).count() == 3 * 2
        assert ProgressReport.objects.filter(project__park=park).count() == 3 * 2 * 12
        enterprises = Enterprise.objects.filter(park=park)
        assert enterprises.count() == 5
        assert Visit.objects.filter(enterprise__park=park).count() == 5
        assert Demand.objects.filter(enterprise__park=park).count() == 2
        assert TalentIntroduction.objects.filter(park=park).count() == 1
        member = ParkMember.objects.get(park=park)
        assert Visit.objects.filter(enterprise__park=park).exclude(staff=member.user).count() == 0
    # codes unique across the parks (the project code is unique in the whole database)
    assert Project.objects.values("code").distinct().count() == 12
    assert Enterprise.objects.values("credit_code").distinct().count() == 20
    assert summary.differences() == {}  # the triggers kept the summary in step


def test_parks_refuse_existing_data_then_reset():
    generate(parks=2, projects=2, enterprises=2, talents=0)
    with pytest.raises(CommandError, match="prov-0001"):
        generate(parks=3, projects=2, enterprises=2, talents=0)
    generate(parks=3, projects=1, enterprises=1, talents=0, reset=True)
    assert Park.objects.filter(slug__startswith="prov-").count() == 3
    assert list(Project.objects.order_by("park__slug").values_list("park__slug", flat=True)) \
        == ["prov-0001", "prov-0002", "prov-0003"]
    assert Enterprise.objects.count() == 3
    assert summary.differences() == {}


def test_single_park_unchanged():
    generate(projects=4, enterprises=3, talents=1)
    assert list(Park.objects.values_list("slug", flat=True)) == ["prov"]
    assert Project.objects.filter(park__slug="prov").count() == 4
    assert Project.objects.filter(code__startswith="PROV-").count() == 4


def test_parks_must_be_positive():
    with pytest.raises(CommandError):
        generate(parks=0)
