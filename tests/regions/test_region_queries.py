"""The region roll-up's own query forms give what the park selectors' queries give: the
progress summary read once (GROUPING SETS on PostgreSQL) and the id lists as one array."""

import pytest

from dashboard.selectors import progress_groups_by_park, region_progress_groups
from parkportal.id_lists import InIds
from parkportal.periods import Period
from parks.models import Park
from projects.models import Project

pytestmark = pytest.mark.django_db


def _sorted(groups):
    return sorted(groups, key=lambda g: (g.get("project__industry_id") or 0,
                                         g["project__is_industrial"]))


@pytest.mark.parametrize("quarter", [1, 2, 4])
def test_progress_read_once_equals_the_two_queries(placed, quarter):
    ids = [park.pk for park in Park.objects.all()] + [10**9]  # and a park id without rows
    period = Period(2024, quarter)
    by_park, table = region_progress_groups(ids, period)
    want_by_park = progress_groups_by_park(ids, period, group=("project__is_industrial",),
                                           months=False)
    want_table = progress_groups_by_park(ids, period, by_park=False)[None]
    assert {k: _sorted(v) for k, v in by_park.items()} == {
        k: _sorted(v) for k, v in want_by_park.items()}
    assert _sorted(table) == _sorted(want_table)
    assert any(group["ytd"] for group in table)  # the fixtures have counted reports
    # Same values, same Decimal exponents.
    assert repr(_sorted(table)) == repr(_sorted(want_table))


def test_in_ids(placed):
    parks = list(Park.objects.order_by("pk"))
    chosen = [parks[0].pk, parks[-1].pk]
    assert set(Project.objects.filter(InIds("park_id", chosen)).values_list("pk", flat=True)) \
        == set(Project.objects.filter(park_id__in=chosen).values_list("pk", flat=True))
    assert not Project.objects.filter(InIds("park_id", [])).exists()
