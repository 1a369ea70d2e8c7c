"""WCAG 2.1 A and AA with axe-core (issue 16): every page a persona can open, in Chinese and
in English, in headless Chromium. axe-core comes from npm (package.json, devDependencies) and
is read from node_modules by this test only: it is never copied into the served static files.

The page list is the permission matrix's (tests/permissions/expectations/): every URL a persona
gets 200 and an HTML page from. A violation fails the test with every rule, impact and element
listed."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.permissions.matrix import ADMIN, LEADER, STAFF_RESP
from tests.permissions.test_matrix import CASES, resolved, world  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Pages that are not for people: the health probe answers JSON; the language switch redirects.
NOT_PAGES = {"healthz", "set_language"}


def pages_for(the_world, persona):
    """(name, url) of every HTML page `persona` may open, from the permission matrix."""
    client = Client()
    client.force_login(the_world.users[persona])
    pages = []
    for name, case in sorted(CASES.items()):
        if name in NOT_PAGES or case.get.get(persona) != 200:
            continue
        url = reverse(name, kwargs=resolved(case.kwargs, the_world))
        if case.query:
            url = f"{url}?{case.query}"
        response = client.get(url)
        # Whole pages only: htmx fragments (an import's status) are checked inside their page.
        if (response.status_code == 200 and response["Content-Type"].startswith("text/html")
                and b"<html" in response.content[:300]):
            pages.append((name, url))
    return pages


def axe_violations(page, axe_source):
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", TAGS)
    return result["violations"]


def describe(url, violations):
    lines = []
    for v in violations:
        lines.append(f"{url}: {v['id']} ({v['impact']}) {v['help']}")
        for node in v["nodes"][:6]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']!s:.200}"
                         .replace("\n", " "))
    return lines


# Admins open the most pages; staff see the monthly form editable, leaders see it for review.
RUNS = [(ADMIN, "zh-hans"), (ADMIN, "en"), (STAFF_RESP, "zh-hans"), (LEADER, "en")]


@pytest.mark.parametrize(("persona", "language"), RUNS)
def test_every_page_passes_axe(persona, language, world, page, live_server, screenshot):  # noqa: F811
    assert AXE.exists(), "axe-core is missing: run `make assets` (npm ci)"
    axe_source = AXE.read_text()
    urls = pages_for(world, persona)
    names = {name for name, _ in urls}
    # The interface pages of issue 16 are among them.
    assert {"home", "projects:list", "projects:detail", "enterprises:list",
            "dashboard:index"} <= names
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])
    client = Client()
    client.force_login(world.users[persona])
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    problems = []
    for _name, url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        # The page is in the language asked for (zh-CN on ours, zh-hans on Django's own).
        assert page.locator("html").get_attribute("lang")[:2] == language[:2], url
        problems += describe(url, axe_violations(page, axe_source))
    report = Path(__file__).resolve().parents[2] / "test-output" / "axe"
    report.mkdir(parents=True, exist_ok=True)
    (report / f"{persona}-{language}.json").write_text(json.dumps(
        {"pages": [u for _, u in urls], "violations": problems}, ensure_ascii=False, indent=1))
    assert not problems, f"{len(problems)} axe lines on {len(urls)} pages:\n" + "\n".join(problems)
