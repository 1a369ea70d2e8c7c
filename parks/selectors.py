"""Reads about parks: quarter closes."""

from parkportal.periods import quarter_of
from parks.models import QuarterClose


def is_quarter_closed(park, year: int, month: int) -> bool:
    """Whether the quarter containing `year`-`month` has been closed (季度关账) for `park`."""
    return QuarterClose.objects.filter(park=park, year=year, quarter=quarter_of(month)).exists()


def quarter_close_for(park, year: int, month: int):
    """The QuarterClose containing `year`-`month`, or None while the quarter is open."""
    return QuarterClose.objects.filter(park=park, year=year, quarter=quarter_of(month)).first()
