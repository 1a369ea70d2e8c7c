"""Template context shared by every page."""

from parkportal.roles import ADMIN, LEADER, STAFF, roles_for


def roles(request):
    held = roles_for(getattr(request, "user", None))
    return {
        "user_roles": held,
        "is_admin_role": ADMIN in held,
        "is_leader_role": LEADER in held,
        "is_staff_role": STAFF in held,
    }
