"""User management: park admins only (SPEC §5 "manage users")."""

from tests.permissions.matrix import DENIED, STAFF_OTHER, Case, roles

ADMIN_ONLY = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=200)
ADMIN_REDIRECT = roles(staff_resp=DENIED, staff_other=DENIED, leader=DENIED, admin=302)


def _other_staff(world):
    return {"pk": world.users[STAFF_OTHER].pk}


# Empty forms come back with their errors (200): nothing is written.
CASES = {
    "users:list": Case(get=ADMIN_ONLY, post=roles(staff_resp=DENIED, staff_other=DENIED,
                                                  leader=DENIED, admin=405)),
    "users:create": Case(get=ADMIN_ONLY, post=ADMIN_ONLY),
    "users:detail": Case(get=ADMIN_ONLY, post=roles(staff_resp=DENIED, staff_other=DENIED,
                                                    leader=DENIED, admin=405),
                         kwargs=_other_staff),
    "users:edit": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_other_staff),
    "users:password": Case(get=ADMIN_ONLY, post=ADMIN_ONLY, kwargs=_other_staff),
    # Reactivating an active account changes nothing and goes back to its page.
    "users:active": Case(get=ADMIN_ONLY, post=ADMIN_REDIRECT, kwargs=_other_staff,
                         post_data={"active": "1"}),
}
