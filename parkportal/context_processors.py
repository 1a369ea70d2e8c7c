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


def display(request):
    """The user's large-text mode (users.DisplayPreference): a body class the CSS and charts
    follow."""
    from users.services import large_text_for

    return {"large_text": large_text_for(request)}
