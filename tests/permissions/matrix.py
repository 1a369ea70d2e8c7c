"""Vocabulary of the permission matrix (SPEC §5): personas, expected outcomes, one Case per URL.

Each module of `tests.permissions.expectations` exports `CASES = {"namespace:name": Case(...)}`;
test_matrix merges them all (so each area owns its module) and checks every URL pattern of the
URLconf against them.

Expected outcomes, per persona and method:
  200, 302, 403, 404, 405 ...  that exact status
  (403, 404)                   any of these statuses
  LOGIN                        302 to the login page (anonymous users)
  ADMIN_LOGIN                  302 to the admin login page
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ANON = "anonymous"
STAFF_RESP = "staff_responsible"
STAFF_OTHER = "staff_not_responsible"
LEADER = "leader"
ADMIN = "admin"
PERSONAS = (ANON, STAFF_RESP, STAFF_OTHER, LEADER, ADMIN)

LOGIN = "login-redirect"
ADMIN_LOGIN = "admin-login-redirect"
DENIED = (403, 404)


def everyone(signed_in, anonymous=LOGIN) -> dict:
    """The same outcome for every signed-in persona; anonymous users go to the login page."""
    return {ANON: anonymous, STAFF_RESP: signed_in, STAFF_OTHER: signed_in, LEADER: signed_in,
            ADMIN: signed_in}


def roles(*, staff_resp, staff_other, leader, admin, anonymous=LOGIN) -> dict:
    return {ANON: anonymous, STAFF_RESP: staff_resp, STAFF_OTHER: staff_other, LEADER: leader,
            ADMIN: admin}


@dataclass
class Case:
    """What each persona gets from one URL.

    kwargs / post_data: a dict, or a callable taking the `World` (tests/permissions/world.py)
    and returning one — it may create objects the URL needs.
    """

    get: dict
    post: dict
    kwargs: dict | Callable = field(default_factory=dict)
    post_data: dict | Callable = field(default_factory=dict)
    query: str = ""
