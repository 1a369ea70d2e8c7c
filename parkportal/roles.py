"""The three roles of SPEC §5, held as Django groups.

Django's own `is_staff` flag is *not* our "staff" role: it only opens the Django admin.
"""

STAFF = "staff"
LEADER = "leader"
ADMIN = "admin"
ALL_ROLES = (STAFF, LEADER, ADMIN)


def roles_for(user) -> frozenset[str]:
    """The role names a user holds; superusers count as admins."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_parkportal_roles", None)
    if cached is None:
        cached = remember_roles(user, user.groups.filter(name__in=ALL_ROLES)
                                .values_list("name", flat=True))
    return cached


def remember_roles(user, group_names) -> frozenset[str]:
    """Cache on `user` the roles given by its group names (parkportal.auth loads them with the
    user itself)."""
    names = set(group_names)
    if user.is_superuser:
        names.add(ADMIN)
    user._parkportal_roles = frozenset(names)
    return user._parkportal_roles


def is_staff_member(user) -> bool:
    return STAFF in roles_for(user)


def is_leader(user) -> bool:
    return LEADER in roles_for(user)


def is_admin(user) -> bool:
    return ADMIN in roles_for(user)
