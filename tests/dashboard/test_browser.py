"""A leader opens the dashboard in Chromium: Chinese labels, charts drawn (non-blank
canvas), follows a lagging project, downloads the workbook (totals equal the roll-up)."""

from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from dashboard.selectors import park_rollup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANVAS_INK = """(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return 0;
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) ink++;
  }
  return ink;
}"""


def test_leader_dashboard_in_a_browser(page, live_server, login, screenshot, park, small_park,
                                       leader, tmp_path):
    login(leader)
    page.goto(f"{live_server.url}/dashboard/?park=testpark&year=2024&quarter=2")
    assert page.locator("h1").inner_text() == "领导驾驶舱"
    for chart in ("chart-monthly", "chart-stage", "chart-industry"):
        page.wait_for_selector(f"#{chart}[data-rendered='1']", timeout=10_000)
        assert page.evaluate(CANVAS_INK, chart) > 500, chart
    assert "累计完成投资" in page.locator("#figure-cards").inner_text()
    screenshot("dashboard-leader")

    # the print layout
    page.emulate_media(media="print")
    screenshot("dashboard-print")
    page.emulate_media(media="screen")

    # the workbook
    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    path = tmp_path / "dashboard.xlsx"
    download_info.value.save_as(path)
    ws = load_workbook(path)["重点项目进度表"]
    total = list(ws.iter_rows(min_row=4, values_only=True))[-1]
    figures = park_rollup(park=park, year=2024, quarter=2)
    assert D(str(total[4])) == figures["annual_planned"]
    assert D(str(total[6])) == figures["completed_ytd"]

    # follow the worst lagging project
    rows = page.locator("#lagging-table tbody tr")
    assert rows.count() == 2 and rows.first.get_attribute("data-light") == "red"
    rows.first.locator("a.lagging-link").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/projects/C/")
    assert "项目丙" in page.content()
    screenshot("dashboard-followed-project")


STAGE_CHART = """() => {
  const option = echarts.getInstanceByDom(document.getElementById('chart-stage')).getOption();
  const legend = option.legend[0];
  return {position: option.series[0].label.position,
          names: option.series[0].data.map(d => d.name),
          legend: option.series[0].data.map(d => legend.formatter(d.name))};
}"""


@pytest.mark.parametrize(("device", "viewport"), [("desktop", (1366, 900)), ("phone", (390, 844))])
def test_dashboard_reads_right_on_desktop_and_phone(browser, live_server, small_park, leader,
                                                    device, viewport):
    """Stage names whole in the legend (no "新…" beside a narrow ring), counts in the slices,
    nothing wider than a phone; screenshots dashboard-readable-{desktop,phone}.png."""
    from tests.conftest import PASSWORD, SCREENSHOT_DIR

    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  is_mobile=device == "phone", has_touch=device == "phone")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", leader.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{live_server.url}/dashboard/?park=testpark&year=2024&quarter=2")
        for chart in ("chart-monthly", "chart-stage", "chart-industry"):
            page.wait_for_selector(f"#{chart}[data-rendered='1']", timeout=10_000)
        stage = page.evaluate(STAGE_CHART)
        assert stage["position"] == "inside"
        assert "储备/前期" in stage["names"]
        assert all(label.startswith(name) and "…" not in label
                   for name, label in zip(stage["names"], stage["legend"], strict=True))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"dashboard-readable-{device}.png"),
                        full_page=True)
        # A year without plans: said, and a link to the latest year with plans.
        page.goto(f"{live_server.url}/dashboard/?park=testpark&year=2025&quarter=1")
        page.click("#latest-period-link")
        page.wait_for_load_state("networkidle")
        assert "year=2024" in page.url and "quarter=3" in page.url
        assert not page.locator("#no-plans-note").count()
    finally:
        context.close()
