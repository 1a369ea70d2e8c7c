"""Reads about parks: regions and the parks under them, quarter closes."""

from django.db.models import Q, QuerySet

from parkportal.periods import quarter_of
from parks.models import MAX_REGION_DEPTH, Park, QuarterClose, Region


def _under(region, prefix: str) -> Q:
    """`prefix` region is `region` or below it, at any depth (at most MAX_REGION_DEPTH)."""
    q = Q(**{prefix: region})
    for depth in range(1, MAX_REGION_DEPTH):
        q |= Q(**{prefix + "__parent" * depth: region})
    return q


def parks_in_region(region: Region) -> QuerySet[Park]:
    """Every park under `region`, at any depth (one query, ordered by name)."""
    return Park.objects.filter(_under(region, "region")).order_by("name")


def regions_under(region: Region) -> QuerySet[Region]:
    """`region` and every region below it."""
    return Region.objects.filter(Q(pk=region.pk) | _under(region, "parent")).order_by("name")


def is_quarter_closed(park, year: int, month: int) -> bool:
    """Whether the quarter containing `year`-`month` has been closed (季度关账) for `park`."""
    return QuarterClose.objects.filter(park=park, year=year, quarter=quarter_of(month)).exists()


def quarter_close_for(park, year: int, month: int):
    """The QuarterClose containing `year`-`month`, or None while the quarter is open."""
    return QuarterClose.objects.filter(park=park, year=year, quarter=quarter_of(month)).first()
