"""The deployed app in Chromium: production settings, gunicorn behind nginx, PostgreSQL, a real
db_worker. Run by scripts/deployed_check.sh (`make deployed-check`), which serves the app and
sets PARKPORTAL_DEPLOYED_URL; skipped in the ordinary suite.

This process talks to the deployed database directly (the same DATABASE_URL) to check what the
pages claim: rows written, nothing partial after a killed worker.
"""

import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.imports import files

URL = os.environ.get("PARKPORTAL_DEPLOYED_URL", "")
PASSWORD = os.environ.get("PARKPORTAL_DEMO_PASSWORD", "")
LOGS = Path(os.environ.get("PARKPORTAL_DEPLOYED_LOGS", "/tmp"))
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"

pytestmark = [pytest.mark.deployed,
              pytest.mark.skipif(not URL, reason="needs the deployed app "
                                 "(scripts/deployed_check.sh sets PARKPORTAL_DEPLOYED_URL)")]

CANVAS_INK = """(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) ink++;
  }
  return ink;
}"""


class Worker:
    """`manage.py db_worker` as systemd runs it, with the deployed environment."""

    def __init__(self):
        self.process = None

    def start(self):
        log = (LOGS / "worker.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload"], cwd=ROOT,
            stdout=log, stderr=subprocess.STDOUT)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)


@pytest.fixture
def worker():
    worker = Worker()
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def shot(page):
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(SHOTS / f"deployed-{name}.png"), full_page=True)

    return take


@pytest.fixture
def database(django_db_blocker):
    """The deployed database itself (no test database is created in this module)."""
    with django_db_blocker.unblock():
        yield


def enterprise_count() -> int:
    from enterprises.models import Enterprise

    return Enterprise.objects.filter(park__slug="zhenba").count()


def batch_state(pk: int):
    from enterprises.models import ImportBatch

    return ImportBatch.objects.values_list("state", "processed_rows", "total_rows").get(pk=pk)


def enterprise_csv(path: Path, n_valid: int, n_bad: int, start: int) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["镇巴县产业园区企业名单（部署检查）"])
    writer.writerow(files.HEADER)
    writer.writerows(files.rows(n_valid, start=start))
    for i in range(n_bad):
        writer.writerow([str(i), f"无效企业{i}", f"BAD{i}", "-5", "2024-13-40", "入驻", "生物医药"])
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def upload(page, path: Path) -> int:
    page.goto(f"{URL}/enterprises/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#commit-button")).to_be_visible(timeout=60_000)
    return int(re.search(r"/enterprises/import/(\d+)/", page.url).group(1))


def test_a_park_day_on_the_deployed_stack(page, worker, shot, database, tmp_path):
    responses = []
    page.on("response", lambda r: responses.append((r.status, r.request.method, r.url)))

    # Log in as the park's admin.
    page.goto(f"{URL}/accounts/login/")
    page.fill("#id_username", "admin1")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url
    shot("1-home")

    # The leader's dashboard for the report's quarter: hashed static files, charts drawn.
    page.goto(f"{URL}/dashboard/?park=zhenba&year=2024&quarter=1")
    for chart in ("chart-monthly", "chart-stage", "chart-industry"):
        page.wait_for_selector(f"#{chart}[data-rendered='1']", timeout=20_000)
        assert page.evaluate(CANVAS_INK, chart) > 500, chart
    assert re.search(r"/static/.+\.[0-9a-f]{12}\.(js|css)", page.content())
    shot("2-dashboard")

    # A 2,500-row list (10 rows bad): preview, commit, the worker writes it, the bar says done.
    before = enterprise_count()
    batch = upload(page, enterprise_csv(tmp_path / "企业名单2500.csv", 2490, 10, start=500_000))
    shot("3-preview")
    page.click("#commit-button")
    expect(page.locator("#import-progress")).to_be_visible()
    shot("4-progress")
    expect(page.get_by_text(re.compile("已于 .* 导入"))).to_be_visible(timeout=120_000)
    shot("5-done")
    assert batch_state(batch)[0] == "committed"
    assert enterprise_count() == before + 2490

    # The error report lists the ten rejected rows.
    with page.expect_download() as download:
        page.get_by_role("link", name="错误报告（Excel）").click()
    report = tmp_path / "errors.xlsx"
    download.value.save_as(report)
    sheet = load_workbook(report).worksheets[0]
    rejected_rows = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert len(rejected_rows) == 10, rejected_rows

    # A second, larger import; the worker is killed -9 while it works on it.
    before = enterprise_count()
    batch = upload(page, enterprise_csv(tmp_path / "企业名单60000.csv", 60_000, 0,
                                        start=600_000))
    page.click("#commit-button")
    deadline = time.monotonic() + 120
    while True:
        state, done, total = batch_state(batch)
        if state == "running" and done >= total // 3:
            break
        assert state in ("queued", "running") and time.monotonic() < deadline, state
        time.sleep(0.05)
    worker.kill()
    shot("6-killed")
    assert enterprise_count() == before

    # The worker comes back; the lease runs out; the page tells the admin, nothing partial.
    worker.start()
    expect(page.locator("#batch-message")).to_contain_text("后台任务在完成前中止",
                                                          timeout=90_000)
    shot("7-lost-worker")
    assert batch_state(batch)[0] == "failed"
    assert enterprise_count() == before

    # Retry: the same file, the new worker, all of it.
    page.click("#retry-button")
    expect(page.get_by_text(re.compile("已于 .* 导入"))).to_be_visible(timeout=180_000)
    shot("8-retried")
    assert batch_state(batch)[0] == "committed"
    assert enterprise_count() == before + 60_000

    errors = [r for r in responses if r[0] >= 400]
    assert not errors, errors
