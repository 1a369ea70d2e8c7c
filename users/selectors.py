"""Reads of the user pages: the accounts of the admin's own park."""

from django.contrib.auth import get_user_model
from django.db.models import Count

from parkportal.permissions import scope_to_park


def visible_users(user):
    """Accounts of the viewer's park (every account for an admin without a park), with how
    many projects and enterprises each is responsible for."""
    users = get_user_model().objects.all()
    return (scope_to_park(users, user, "park_member__park")
            .select_related("park_member", "park_member__park")
            .prefetch_related("groups")
            .annotate(project_count=Count("responsible_projects", distinct=True),
                      enterprise_count=Count("responsible_enterprises", distinct=True)))
