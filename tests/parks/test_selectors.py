"""parks/selectors.py: the quarter of a month and whether it is closed."""

import pytest

from parkportal.periods import quarter_of
from parks.models import QuarterClose
from parks.selectors import is_quarter_closed, quarter_close_for


@pytest.mark.parametrize(("month", "quarter"), [
    (1, 1), (2, 1), (3, 1), (4, 2), (6, 2), (7, 3), (9, 3), (10, 4), (12, 4),
])
def test_quarter_of(month, quarter):
    assert quarter_of(month) == quarter


@pytest.mark.django_db
def test_quarter_closed(park, leader):
    close = QuarterClose.objects.create(park=park, year=2024, quarter=2, closed_by=leader,
                                        published_figures={})
    assert [is_quarter_closed(park, 2024, m) for m in (3, 4, 6, 7)] == [False, True, True, False]
    assert not is_quarter_closed(park, 2023, 4)
    assert quarter_close_for(park, 2024, 5) == close
    assert quarter_close_for(park, 2024, 7) is None


@pytest.mark.django_db
def test_another_park_or_year_closed_does_not_count(park, leader):
    from parks.models import Park

    other = Park.objects.create(name="另一园区", slug="other", county="县", city="市",
                                province="省")
    QuarterClose.objects.create(park=other, year=2024, quarter=1, closed_by=leader,
                                published_figures={})
    QuarterClose.objects.create(park=park, year=2023, quarter=1, closed_by=leader,
                                published_figures={})
    assert not is_quarter_closed(park, 2024, 2)
    assert quarter_close_for(park, 2024, 2) is None


@pytest.fixture
def tree(db):
    """陕西省 > 汉中市 > 镇巴县 (a park), 汉中市 (a park of its own), 陕西省 > 安康市 (a park);
    四川省 > 成都市 (a park): every depth below a province, and a second province."""
    from parks.models import Park, Region

    shaanxi = Region.objects.create(slug="shaanxi", name="陕西省", level="province")
    hanzhong = Region.objects.create(slug="hanzhong", name="汉中市", level="city", parent=shaanxi)
    zhenba = Region.objects.create(slug="zhenba-county", name="镇巴县", level="county",
                                   parent=hanzhong)
    ankang = Region.objects.create(slug="ankang", name="安康市", level="city", parent=shaanxi)
    sichuan = Region.objects.create(slug="sichuan", name="四川省", level="province")
    chengdu = Region.objects.create(slug="chengdu", name="成都市", level="city", parent=sichuan)
    parks = {slug: Park.objects.create(slug=slug, name=name, region=region)
             for slug, name, region in (("b-zhenba", "镇巴园区", zhenba),
                                        ("a-hanzhong", "汉中园区", hanzhong),
                                        ("c-ankang", "安康园区", ankang),
                                        ("d-chengdu", "成都园区", chengdu),
                                        ("e-none", "无地区园区", None))}
    return {"shaanxi": shaanxi, "hanzhong": hanzhong, "zhenba": zhenba, "ankang": ankang,
            "sichuan": sichuan, "chengdu": chengdu, **parks}


def slugs(queryset):
    return [item.slug for item in queryset]


def test_parks_in_region_at_every_depth_ordered_by_name(tree):
    from parks.models import Park
    from parks.selectors import parks_in_region

    def by_name(*keys):
        return [p.slug for p in sorted((tree[k] for k in keys), key=lambda p: p.name)]

    assert slugs(parks_in_region(tree["shaanxi"])) == by_name("b-zhenba", "a-hanzhong",
                                                              "c-ankang")
    assert slugs(parks_in_region(tree["hanzhong"])) == by_name("b-zhenba", "a-hanzhong")
    assert slugs(parks_in_region(tree["zhenba"])) == ["b-zhenba"]
    assert slugs(parks_in_region(tree["ankang"])) == ["c-ankang"]
    assert slugs(parks_in_region(tree["sichuan"])) == ["d-chengdu"]
    assert Park.objects.filter(region__isnull=True).count() == 1  # in no region's list


def test_regions_under_a_region_itself_included_ordered_by_name(tree):
    from parks.selectors import regions_under

    def by_name(*keys):
        return [r.slug for r in sorted((tree[k] for k in keys), key=lambda r: r.name)]

    assert slugs(regions_under(tree["shaanxi"])) == by_name("shaanxi", "hanzhong", "zhenba",
                                                            "ankang")
    assert slugs(regions_under(tree["hanzhong"])) == by_name("hanzhong", "zhenba")
    assert slugs(regions_under(tree["zhenba"])) == ["zhenba-county"]
    assert slugs(regions_under(tree["sichuan"])) == by_name("sichuan", "chengdu")
