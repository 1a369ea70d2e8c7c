"""Content-Security-Policy (django-csp): the header on every page, no inline script anywhere
the pages render, and the dashboard charts drawn in Chromium with no CSP violation."""

import re

import pytest
from django.urls import reverse

from enterprises.models import ImportBatch
from tests.dashboard.conftest import small_park  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
HANDLER_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def inline_scripts(html: str) -> list[str]:
    """Script elements that carry code themselves (json_script data is not code)."""
    found = []
    for attrs, body in SCRIPT_TAG.findall(html):
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue
        found.append(body.strip()[:80])
    return found


def test_dashboard_has_a_strict_policy(client, leader, project):
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_report_only_mode_sends_the_other_header(client, leader, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"))
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_no_page_has_inline_script_or_handlers(client, admin_user, superuser, small_park,  # noqa: F811
                                               park):
    # small_park's submitted report has no author and a command-line import has no user: the
    # home page shows "—" for both (it answered 500 before).
    ImportBatch.objects.create(park=park, created_by=None, file_name="cli.csv",
                               file_sha256="1" * 64)
    batch = ImportBatch.objects.create(park=park, created_by=admin_user, file_name="a.csv",
                                       file_sha256="0" * 64, column_mapping={
                                           "headers": ["企业名称"], "columns": {},
                                           "header_row": 1, "units": {}})
    pages = ["/", reverse("dashboard:index") + "?park=testpark&year=2024&quarter=2",
             reverse("projects:list"), reverse("projects:detail", args=["A"]),
             reverse("projects:progress", kwargs={"code": "A", "period": (2024, 4)}),
             reverse("enterprises:list"), reverse("enterprises:demands"),
             reverse("imports:upload"), reverse("imports:batch", args=[batch.pk]),
             reverse("password_reset")]
    admin_pages = ["/admin/", "/admin/projects/project/", "/admin/projects/project/add/",
                   "/admin/enterprises/enterprise/add/", "/admin/auth/user/"]
    client.get("/accounts/login/")
    html = client.get("/accounts/login/").content.decode()
    assert not inline_scripts(html) and not HANDLER_ATTR.search(html)
    for who, urls in ((admin_user, pages), (superuser, admin_pages)):
        client.force_login(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert not inline_scripts(html), (url, inline_scripts(html))
            assert not HANDLER_ATTR.search(html), (url, HANDLER_ATTR.search(html).group(0))
            assert "Content-Security-Policy" in response, url
