"""A city leader opens the region dashboard in Chromium: the parks side by side (the
published one marked), the summed figures, and drills down into a park and back up.
Screenshot: test-output/screenshots/dashboard-region.png."""

import pytest

from dashboard.services import close_quarter
from tests.a11y.test_axe import AXE, axe_violations, describe
from tests.dashboard.test_browser import CANVAS_INK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_leader_reads_the_region_in_a_browser(page, live_server, login, screenshot,
                                                   placed, city_leader, leader):
    close_quarter(park=placed["xixiang"], year=2024, quarter=2, user=leader, note="")
    login(city_leader)
    page.goto(f"{live_server.url}/dashboard/")  # lands on the region
    page.wait_for_load_state("networkidle")
    assert "region=hanzhong" in page.url
    page.goto(f"{live_server.url}/dashboard/?region=hanzhong&year=2024&quarter=2")
    assert page.locator("h1").inner_text() == "汉中市：地区驾驶舱"
    rows = page.locator("#park-comparison tbody tr")
    assert rows.count() == 2
    # Furthest behind time progress first: 测试 (30.0 %) before 西乡 (33.3 %), time 50 %.
    assert rows.nth(0).get_attribute("data-park") == "testpark"
    assert rows.nth(1).locator("[data-figures='published']").count() == 1
    assert rows.nth(0).locator("[data-figures='live']").count() == 1
    cards = page.locator("#figure-cards").inner_text()
    assert "1.10 亿元" in cards  # annual planned 4000 + 3000 + 2000 + 1000 + 1000 万元
    assert "安康园区" not in page.content()
    for chart in ("chart-monthly", "chart-industry"):
        page.wait_for_selector(f"#{chart}[data-rendered='1']", timeout=10_000)
        assert page.evaluate(CANVAS_INK, chart) > 500, chart
    screenshot("dashboard-region")
    # WCAG 2.1 A/AA as every page (tests/a11y), in Chinese and in English.
    assert AXE.exists(), "axe-core is missing: run `make assets` (npm ci)"
    problems = describe(page.url, axe_violations(page, AXE.read_text()))
    page.context.add_cookies([{"name": "django_language", "value": "en",
                               "url": live_server.url}])
    page.reload()
    assert page.locator("h1").inner_text() == "汉中市: region dashboard"
    problems += describe(page.url, axe_violations(page, AXE.read_text()))
    assert not problems, "\n".join(problems)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans",
                               "url": live_server.url}])

    rows.nth(1).locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "park=xixiang" in page.url
    assert page.locator("#close-quarter-button").count() == 0
    page.click("#region-back")
    page.wait_for_load_state("networkidle")
    assert "region=hanzhong" in page.url and "quarter=2" in page.url
