"""Reads of the talent pages: what a viewer may see, and whose names.

A talent's name is personal data (SPEC §5): park admins see it, and staff responsible for
the talent's employer enterprise; nobody else, in pages and exports alike.
"""

from django.db.models import Count

from parkportal.permissions import may_see_personal_data, scope_to_park
from talent.models import InnovationCenter, PartnerOrganization, TalentIntroduction


def visible_talents(user):
    """The user's park's talent introductions, each saying whether the user may see the
    name (`may_see_personal`)."""
    return (scope_to_park(TalentIntroduction.objects.all(), user)
            .select_related("employer", "partner", "innovation_center", "park")
            .annotate(may_see_personal=may_see_personal_data(user, "employer")))


def visible_partners(user):
    return (scope_to_park(PartnerOrganization.objects.all(), user)
            .annotate(talent_count=Count("talents", distinct=True)))


def visible_centers(user):
    return (scope_to_park(InnovationCenter.objects.all(), user).select_related("partner")
            .annotate(talent_count=Count("talents", distinct=True)))
