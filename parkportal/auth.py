"""Authentication backend that loads everything a page asks about its user in one query.

Every request reads the signed-in user's roles (parkportal.roles) and park
(parkportal.permissions.park_of). With Django's ModelBackend that is four queries: the user,
its groups, its park membership and the park. Here the user row comes with the membership and
the park joined in and one EXISTS flag per role, so the whole per-request context is one query.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from parkportal.roles import ALL_ROLES, remember_roles


def role_flags() -> dict:
    """`has_role_<name>` annotations: whether the user is in each role's group."""
    memberships = get_user_model().groups.through.objects
    return {f"has_role_{role}": Exists(memberships.filter(user=OuterRef("pk"),
                                                          group__name=role))
            for role in ALL_ROLES}


class ParkportalBackend(ModelBackend):
    """ModelBackend (same authentication and permissions); only `get_user` differs."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager
        try:
            user = (users.select_related("park_member__park").annotate(**role_flags())
                    .get(pk=user_id))
        except users.model.DoesNotExist:
            return None
        remember_roles(user, {role for role in ALL_ROLES
                              if getattr(user, f"has_role_{role}")})
        return user if self.user_can_authenticate(user) else None
