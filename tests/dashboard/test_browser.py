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
