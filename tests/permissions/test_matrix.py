"""Permission matrix (SPEC §5): every URL pattern × five personas × GET and POST.

The URL list is walked from the URLconf, not kept by hand: a new URL without an entry in
tests/permissions/expectations/ fails here. Django admin URLs get one generic rule (only
admins get in); object-level admin URLs (change / delete / history) are guarded by the same
`AdminSite.admin_view` wrapper and are not walked one by one.
"""

import importlib
import pkgutil
import re

import pytest
from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.permissions import expectations
from tests.permissions.matrix import (
    ADMIN,
    ADMIN_LOGIN,
    ANON,
    LEADER,
    LEADER_STAFF,
    LOGIN,
    PARKLESS,
    PERSONAS,
    STAFF_OTHER,
    STAFF_RESP,
    Case,
    allowed,
)
from tests.permissions.world import build_world

CSRF_MARKER = "csrf-failure-from-matrix"


def csrf_failure(request, reason=""):
    return HttpResponseForbidden(CSRF_MARKER)


# --- the URLconf, walked ------------------------------------------------------------------


def walk(patterns, prefix="", namespace=None):
    """(qualified name, route, callback) for every pattern, depth first."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            qualified = f"{namespace}:{name}" if namespace and name else name
            yield qualified, prefix + str(pattern.pattern), pattern.callback


ALL_PATTERNS = list(walk(get_resolver().url_patterns))
APP_PATTERNS = [p for p in ALL_PATTERNS if not (p[0] or "").startswith("admin:")
                and not p[1].startswith("admin/")]
ADMIN_PATTERNS = [p for p in ALL_PATTERNS if p not in APP_PATTERNS]
APP_NAMES = sorted({name for name, _, _ in APP_PATTERNS if name})


def load_cases() -> dict[str, Case]:
    merged: dict[str, Case] = {}
    for module_info in pkgutil.iter_modules(expectations.__path__):
        module = importlib.import_module(f"{expectations.__name__}.{module_info.name}")
        for name, case in getattr(module, "CASES", {}).items():
            assert name not in merged, f"{name} has expectations in two modules"
            merged[name] = case
    return merged


CASES = load_cases()


# --- Django admin: one generic rule -------------------------------------------------------

ADMIN_ONLY = {**dict.fromkeys(PERSONAS, ADMIN_LOGIN), ADMIN: 200}
ADMIN_SPECIAL = {
    "admin:login": {**dict.fromkeys(PERSONAS, 200), ADMIN: 302},
    # POST only; non-admins are sent to the admin index (which sends them to its login).
    "admin:logout": {**dict.fromkeys(PERSONAS, 302), ADMIN: 405},
    "admin:autocomplete": {**ADMIN_ONLY, ADMIN: 403},  # no field given
    # Task results are written by the worker, never added by hand.
    "admin:django_tasks_database_dbtaskresult_add": {**ADMIN_ONLY, ADMIN: 403},
}
# The admin persona is a park admin (the admin group's permissions), not a superuser
# (parkportal.role_permissions): no role groups, no task results; records written by a
# workflow, parks and industries are never added here; login lock-outs come from axes only.
ADMIN_SPECIAL.update({name: {**ADMIN_ONLY, ADMIN: 403} for name in (
    "admin:auth_group_changelist", "admin:auth_group_add",
    "admin:django_tasks_database_dbtaskresult_changelist",
    "admin:axes_accessattempt_add", "admin:axes_accesslog_add",
    "admin:axes_accessfailurelog_add", "admin:parks_park_add", "admin:parks_industry_add",
    "admin:parks_region_add",
    "admin:parks_quarterclose_add", "admin:parks_quarterclosecorrection_add",
    "admin:projects_progressreport_add", "admin:enterprises_importbatch_add")})


def admin_cases():
    """(name, kwargs, GET expectations) for admin URLs that take no object id."""
    cases = []
    for name, route, _ in ADMIN_PATTERNS:
        if not name:
            continue  # the catch-all pattern
        if "app_label" in route:
            labels = re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|")
            cases.append((name, {"app_label": labels[0]}, ADMIN_ONLY))
        elif "<" in route or "(" in route:
            continue  # object-level admin views: same admin_view guard
        else:
            cases.append((name, {}, ADMIN_SPECIAL.get(name, ADMIN_ONLY)))
    return cases


ADMIN_CASES = admin_cases()


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def world(park, industries, staff_user, other_staff, leader, admin_user, settings, tmp_path):
    from django.contrib.auth.models import Group, User

    from parkportal.roles import LEADER as LEADER_ROLE
    from parkportal.roles import STAFF as STAFF_ROLE
    from tests.conftest import make_user

    settings.MEDIA_ROOT = tmp_path  # uploads made by cases stay out of the checkout
    parkless = User.objects.create_user(username="staff_parkless", password="x")
    parkless.groups.add(Group.objects.get_or_create(name=STAFF_ROLE)[0])
    leader_staff = make_user("leader_staff", LEADER_ROLE, park)
    leader_staff.groups.add(Group.objects.get(name=STAFF_ROLE))
    users = {STAFF_RESP: staff_user, STAFF_OTHER: other_staff, LEADER: leader,
             ADMIN: admin_user, PARKLESS: parkless, LEADER_STAFF: leader_staff}
    return build_world(park, industries, users)


def client_for(world, persona, **kwargs) -> Client:
    client = Client(**kwargs)
    if persona != ANON:
        client.force_login(world.users[persona])
    return client


def resolved(value, world):
    return value(world) if callable(value) else dict(value)


def check(response, expected, label):
    status = response.status_code
    if expected == LOGIN:
        assert status == 302, f"{label}: expected login redirect, got {status}"
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), (
            f"{label}: redirected to {response['Location']}, not the login page")
    elif expected == ADMIN_LOGIN:
        assert status == 302, f"{label}: expected admin login redirect, got {status}"
        assert response["Location"].startswith(reverse("admin:login")), label
    elif isinstance(expected, tuple):
        assert status in expected, f"{label}: expected one of {expected}, got {status}"
    else:
        assert status == expected, f"{label}: expected {expected}, got {status}"


# --- the tests ----------------------------------------------------------------------------


def test_every_expectation_names_an_existing_url():
    stale = sorted(set(CASES) - set(APP_NAMES))
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


def test_every_url_pattern_is_named():
    unnamed = [route for name, route, _ in APP_PATTERNS if not name]
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", APP_NAMES)
def test_url(name, persona, method, world):
    case = CASES.get(name)
    if case is None:
        pytest.fail(f"URL {name!r} has no entry in tests/permissions/expectations/: add one")
    url = reverse(name, kwargs=resolved(case.kwargs, world))
    assert resolve(url).view_name == name
    if case.query:
        url = f"{url}?{case.query}"
    client = client_for(world, persona)
    expected = getattr(case, method)[persona]
    label = f"{method.upper()} {url} as {persona}"
    if method == "get":
        response = client.get(url)
    else:
        data = resolved(case.post_data, world)
        before = case.state(world) if case.state else None
        response = client.post(url, data)
        if case.state:
            after = case.state(world)
            if allowed(expected):
                assert after != before, f"{label}: accepted but nothing was written"
            else:
                assert after == before, f"{label}: refused but something changed"
    check(response, expected, label)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "kwargs", "expected"), ADMIN_CASES,
                         ids=[c[0] for c in ADMIN_CASES])
def test_admin_url(name, kwargs, expected, persona, world):
    url = reverse(name, kwargs=kwargs)
    check(client_for(world, persona).get(url), expected[persona], f"GET {url} as {persona}")
    if persona != ADMIN and name not in ADMIN_SPECIAL:
        # Nobody but an admin gets a POST through either.
        check(client_for(world, persona).post(url, {}), ADMIN_LOGIN,
              f"POST {url} as {persona}")


def _csrf_persona(case):
    """A persona whose POST gets past the permission checks (so CSRF is what stops it)."""
    for persona in (STAFF_RESP, LEADER, ADMIN, STAFF_OTHER, ANON):
        expected = case.post.get(persona)
        if isinstance(expected, int) and expected not in (403, 404, 405):
            return persona
    return None


CSRF_NAMES = [n for n in APP_NAMES if n in CASES and _csrf_persona(CASES[n])]


@pytest.mark.parametrize("name", CSRF_NAMES)
def test_csrf_is_enforced_on_state_changing_views(name, world, settings):
    settings.CSRF_FAILURE_VIEW = "tests.permissions.test_matrix.csrf_failure"
    case = CASES[name]
    persona = _csrf_persona(case)
    url = reverse(name, kwargs=resolved(case.kwargs, world))
    client = client_for(world, persona, enforce_csrf_checks=True)
    response = client.post(url, resolved(case.post_data, world))
    assert response.status_code == 403, f"POST {url} without a CSRF token was accepted"
    assert response.content.decode() == CSRF_MARKER


def test_no_view_is_csrf_exempt():
    """Except the read API's: django-ninja marks its views exempt, and they need no CSRF
    check — a session never authenticates them (bearer tokens only) and none of them
    accepts anything but GET (tests/permissions/expectations/api.py: POST is 405)."""
    exempt = [name for name, route, callback in APP_PATTERNS
              if getattr(callback, "csrf_exempt", False)
              and not (route.startswith("api/v1/") and (name or "").startswith("api:"))]
    assert not exempt, f"views exempt from CSRF: {exempt}"
