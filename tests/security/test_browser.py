"""In Chromium with the Content-Security-Policy on: the dashboard charts draw, the behaviours
moved out of inline handlers still work, and the console logs no CSP violation."""

import pytest

from tests.dashboard.conftest import small_park  # noqa: F401  (a fixture)
from tests.dashboard.test_browser import CANVAS_INK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def console(page):
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def violations(messages):
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m
            or m.startswith("pageerror")]


def test_dashboard_draws_under_the_policy(page, live_server, login, screenshot, console,
                                          small_park, leader):  # noqa: F811
    login(leader)
    response = page.goto(f"{live_server.url}/dashboard/?park=testpark&year=2024&quarter=2")
    header = response.headers["content-security-policy"]
    assert "script-src 'self'" in header and "unsafe-inline" not in header.split(
        "script-src")[1].split(";")[0]
    for chart in ("chart-monthly", "chart-stage", "chart-industry"):
        page.wait_for_selector(f"#{chart}[data-rendered='1']", timeout=10_000)
        assert page.evaluate(CANVAS_INK, chart) > 500, chart
    # Tooltips (ECharts builds their DOM with inline styles, allowed for styles only).
    box = page.locator("#chart-monthly canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_for_timeout(300)
    screenshot("security-dashboard-csp")
    # The print button (was an onclick attribute) still calls window.print.
    page.evaluate("() => { window.__printed = 0; "
                  "window.print = () => { window.__printed += 1; }; }")
    page.click("[data-print]")
    assert page.evaluate("window.__printed") == 1
    assert not violations(console), violations(console)


def test_project_year_select_submits_under_the_policy(page, live_server, login, console,
                                                      small_park, staff_user):  # noqa: F811
    from projects.models import AnnualPlan, Project

    AnnualPlan.objects.create(project=Project.objects.get(code="A"), year=2023,
                              planned_investment=100, industrial_investment=0)
    login(staff_user)
    page.goto(f"{live_server.url}/projects/A/")
    select = page.locator("#year-select")
    options = select.locator("option").all_inner_texts()
    if len(options) < 2:
        pytest.fail(f"the project page offers one year only: {options}")
    target = select.locator("option").nth(1).get_attribute("value")
    with page.expect_navigation():
        select.select_option(target)
    assert f"year={target}" in page.url
    assert not violations(console), violations(console)


def test_admin_and_import_pages_log_no_violation(page, live_server, login, console,
                                                 admin_user, screenshot):
    login(admin_user)
    for path in ("/admin/", "/enterprises/import/", "/admin/enterprises/enterprise/add/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    screenshot("security-admin-enterprise-add")
    assert not violations(console), violations(console)
