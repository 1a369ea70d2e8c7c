"""Which parks a user may read, for the read API and the upward reports: one seam.

Today a scope is a park: the user's own park (an admin without a park: every park), the same
rule as the pages (`parkportal.permissions.scope_to_park`). Regions (county → city →
province) come from another branch; they plug in here and nowhere else.
"""

from django.utils.translation import gettext as _

from parkportal.permissions import park_of, scope_to_park
from parks.models import Park


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
    else:  # an admin without a park reads every park; anybody else without one, none
        visible = scope_to_park(Park.objects.all(), user)
    if region is not None and region != "":
        # TODO(regions, at merge): resolve `region` as parks.models.Region by slug, then
        # return parks.selectors.parks_in_region(region) narrowed to what `user` may read:
        # a region leader reads every park of their region (and its sub-regions), a park
        # user only their park within it; an unknown region or one outside the user's
        # scope raises OutOfScope. Every API list, the figures and the upward reports take
        # their parks from here, so nothing else changes.
        raise OutOfScope(_("Regions are not available yet."))
    if park is None or park == "":
        return visible
    slug = park.slug if isinstance(park, Park) else str(park)
    narrowed = visible.filter(slug=slug)
    if not narrowed.exists():
        raise OutOfScope(_("You may not read the park %(park)s.") % {"park": slug})
    return narrowed


def scope_title(parks, region=None) -> str:
    """The name a report gives its scope: the park's name, or the parks' names joined.
    TODO(regions, at merge): a region's own name when `region` is given."""
    names = [park.name for park in parks]
    return "、".join(names)
