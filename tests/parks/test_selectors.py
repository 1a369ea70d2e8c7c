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
