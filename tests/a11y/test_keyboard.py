"""Keyboard use and the large-text mode (issue 16), in headless Chromium: the skip link, a
visible focus ring, the dashboard's charts as tables, the quarter-close dialog keeping and
returning focus, and a large-text mode switched on once and remembered for the user.
Screenshots: test-output/screenshots/a11y-*.png."""

import pytest

from tests.staff.test_browser import scene  # noqa: F401 (fixture)
from users.models import DisplayPreference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page, prop):
    return page.evaluate(f"() => getComputedStyle(document.activeElement).{prop}")


def test_skip_link_focus_ring_and_chart_tables(page, live_server, login, screenshot, scene,  # noqa: F811
                                               leader):
    login(leader)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("visually-hidden-focusable")
    assert page.locator(".pp-skip-link").is_visible()
    assert focused(page, "outlineStyle") == "solid"
    screenshot("a11y-01-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab lands inside the page's content, past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert focused(page, "outlineStyle") == "solid"

    # The charts' figures as tables: twelve months, and the stages the pie shows.
    page.click("#chart-monthly + details summary")
    rows = page.locator("#monthly-table tbody tr")
    assert rows.count() == 12
    assert rows.nth(0).inner_text().split("\t")[:3] == ["1", "600.00", "600.00"]
    assert page.locator("#stage-table tbody tr").count() >= 2
    assert page.get_attribute("#chart-monthly", "role") == "img"
    screenshot("a11y-02-chart-table")


def test_quarter_close_dialog_keeps_and_returns_focus(page, live_server, login, scene, leader,  # noqa: F811
                                                      screenshot):
    login(leader)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    page.focus("#close-quarter-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#close-modal.show")
    page.wait_for_timeout(400)  # Bootstrap's fade
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.getElementById('close-modal').contains(document.activeElement)")
    screenshot("a11y-03-close-dialog")
    page.keyboard.press("Escape")
    page.wait_for_selector("#close-modal", state="hidden")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.id") == "close-quarter-button"


def test_large_text_mode_is_remembered(page, live_server, login, screenshot, scene, leader,  # noqa: F811
                                       browser):
    login(leader)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    toggle = page.locator("form[action$='/accounts/large-text/'] button")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/dashboard/")
    assert "pp-large-text" in page.get_attribute("body", "class")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "20px"
    assert page.locator("form[action$='/accounts/large-text/'] button").get_attribute(
        "aria-pressed") == "true"
    assert DisplayPreference.objects.get(user=leader).large_text is True
    screenshot("a11y-04-large-text-dashboard")

    # Another browser, a new login: still large.
    other = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    second = other.new_page()
    second.goto(f"{live_server.url}/accounts/login/")
    second.fill("#id_username", leader.username)
    from tests.conftest import PASSWORD

    second.fill("#id_password", PASSWORD)
    second.click("button[type=submit]")
    second.wait_for_load_state("networkidle")
    second.goto(f"{live_server.url}/projects/{scene['project'].code}/")
    assert "pp-large-text" in second.get_attribute("body", "class")
    other.close()

    # Off again.
    page.locator("form[action$='/accounts/large-text/'] button").click()
    page.wait_for_load_state("networkidle")
    assert "pp-large-text" not in (page.get_attribute("body", "class") or "")
    assert DisplayPreference.objects.get(user=leader).large_text is False
