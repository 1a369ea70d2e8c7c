"""Reads about parks: quarter closes."""

from parks.models import QuarterClose


def quarter_of(month: int) -> int:
    """The quarter (1..4) a month (1..12) falls in."""
    return (month - 1) // 3 + 1


def is_quarter_closed(park, year: int, month: int) -> bool:
    """Whether the quarter containing `year`-`month` has been closed (季度关账) for `park`."""
    return QuarterClose.objects.filter(park=park, year=year, quarter=quarter_of(month)).exists()


def quarter_close_for(park, year: int, month: int):
    """The QuarterClose containing `year`-`month`, or None while the quarter is open."""
    return QuarterClose.objects.filter(park=park, year=year, quarter=quarter_of(month)).first()
