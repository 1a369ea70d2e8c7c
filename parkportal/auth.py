"""Authentication backend that loads everything a page asks about its user in one query.

Every request reads the signed-in user's roles (parkportal.roles) and park
(parkportal.permissions.park_of). With Django's ModelBackend that is four queries: the user,
its groups, its park membership and the park. Here the user row comes with the membership and
the park joined in and one EXISTS flag per role, so the whole per-request context is one query.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
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
            user = (users.select_related("park_member__park", "region_member__region")
                    .annotate(**role_flags()).get(pk=user_id))
        except users.model.DoesNotExist:
            return None
        remember_roles(user, {role for role in ALL_ROLES
                              if getattr(user, f"has_role_{role}")})
        return user if self.user_can_authenticate(user) else None


class ThrottledBackend(AxesStandaloneBackend):
    """django-axes' backend: refuses a locked-out username or address before any password is
    checked (docs/security.md).

    A login over HTTP always comes with its request. Code that authenticates without one (the
    test client's `login`, management commands) is not reachable by an attacker and skips the
    throttle instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address for throttling. Behind nginx (BEHIND_PROXY) every request comes
    from 127.0.0.1; the client is the last X-Forwarded-For entry, the one nginx appended (any
    earlier entries come from the client and can be forged)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
