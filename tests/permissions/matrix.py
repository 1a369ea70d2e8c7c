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
PARKLESS = "staff_without_park"  # staff role, no park membership: sees no park at all
LEADER_STAFF = "leader_and_staff"  # both roles, same park, responsible for nothing
PERSONAS = (ANON, STAFF_RESP, STAFF_OTHER, LEADER, ADMIN, PARKLESS, LEADER_STAFF)

LOGIN = "login-redirect"
ADMIN_LOGIN = "admin-login-redirect"
DENIED = (403, 404)


def allowed(expected) -> bool:
    """Whether an expected outcome lets the request through (it may write)."""
    return isinstance(expected, int) and expected < 400


def everyone(signed_in, anonymous=LOGIN, *, parkless=None) -> dict:
    """The same outcome for every signed-in persona; anonymous users go to the login page.
    `parkless` differs where the URL names an object of the park (404 for them)."""
    return {ANON: anonymous, STAFF_RESP: signed_in, STAFF_OTHER: signed_in, LEADER: signed_in,
            ADMIN: signed_in, PARKLESS: signed_in if parkless is None else parkless,
            LEADER_STAFF: signed_in}


def roles(*, staff_resp, staff_other, leader, admin, anonymous=LOGIN, parkless=DENIED,
          leader_staff=None) -> dict:
    """Per role. A user with two roles may do what either role may (default: the leader's
    outcome where a leader gets through, else that of staff not responsible)."""
    if leader_staff is None:
        leader_staff = leader if allowed(leader) else staff_other
    return {ANON: anonymous, STAFF_RESP: staff_resp, STAFF_OTHER: staff_other, LEADER: leader,
            ADMIN: admin, PARKLESS: parkless, LEADER_STAFF: leader_staff}


@dataclass
class Case:
    """What each persona gets from one URL.

    kwargs / post_data: a dict, or a callable taking the `World` (tests/permissions/world.py)
    and returning one — it may create objects the URL needs.
    state: a callable taking the `World` and returning what a POST may change; an allowed
    POST must change it and a refused one must leave it as it was.
    """

    get: dict
    post: dict
    kwargs: dict | Callable = field(default_factory=dict)
    post_data: dict | Callable = field(default_factory=dict)
    query: str = ""
    state: Callable | None = None
