"""Which parks a user may read, for the read API and the upward reports: one seam.

A scope is a park or a region. Parks: the user's own park; an admin without a park every
park; a region leader every park under their region (`parkportal.permissions.visible_parks`,
the pages' rule). Regions: the ones whose dashboard the user may read
(`parkportal.permissions.visible_regions`: admins every region, a region leader theirs and
the regions below it, park users none), each meaning every park under it
(`parks.selectors.parks_in_region`).
"""

from django.utils.translation import gettext as _

from parkportal.permissions import park_of, visible_parks, visible_regions
from parks.models import Park, Region
from parks.selectors import parks_in_region


class OutOfScope(Exception):
    """The park or region asked for is not the user's to read (the API answers 403). An
    unknown slug is out of scope too, so the answer never tells which parks exist."""


def parks_for_scope(user, park=None, region=None):
    """The parks `user` may read, narrowed to `park` (a slug or a Park) or `region` (a slug).

    Raises OutOfScope when the park or region named is outside the user's scope (or does not
    exist). With neither named: every park in scope (possibly none)."""
    own = park_of(user)
    if own is not None:
        visible = Park.objects.filter(pk=own.pk)
    else:  # an admin without a park: every park; a region leader: their region's; else none
        visible = visible_parks(user)
    if region is not None and region != "":
        region_obj = visible_regions(user).filter(slug=str(region)).first()
        if region_obj is None:
            raise OutOfScope(_("You may not read the region %(region)s.")
                             % {"region": region})
        visible = parks_in_region(region_obj)
    if park is None or park == "":
        return visible
    slug = park.slug if isinstance(park, Park) else str(park)
    narrowed = visible.filter(slug=slug)
    if not narrowed.exists():
        raise OutOfScope(_("You may not read the park %(park)s.") % {"park": slug})
    return narrowed


def scope_title(parks, region=None) -> str:
    """The name a report gives its scope: the region's name when one is given (a slug or a
    Region), else the park's name, or the parks' names joined."""
    if region:
        region_obj = region if isinstance(region, Region) else (
            Region.objects.filter(slug=str(region)).first())
        if region_obj is not None:
            return region_obj.name
    names = [park.name for park in parks]
    return "、".join(names)
