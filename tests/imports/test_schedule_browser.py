"""The schedule wizard in a real browser: upload → preview with warnings and a rejected row →
a column the admin must choose → commit → done, with screenshots
(test-output/screenshots/schedule-import-*.png)."""

import pytest
from playwright.sync_api import expect

from enterprises.models import ImportBatch
from projects.models import ProgressReport, Project
from tests.imports import schedule_files as sf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_schedule_wizard(page, live_server, login, screenshot, admin_user, park, industries,
                         tmp_path):
    Project.objects.create(park=park, code="ZB2024-01", name="续建项目1",
                           industry=industries["biomedicine"], total_investment=10000)
    rows = [["一、续建项目"], sf.project("续建项目1"), sf.project("续建项目2", serial="2"),
            ["二、新开工项目"],
            sf.project("新开工项目1", planned="1000", industrial="1500", serial="3"),
            sf.project("新开工项目2", total="8,000", planned="2000", industrial="0", month="0",
                       cumulative="0", rate="0%", progress="办理前期手续",
                       problems="用地指标未落实", serial="4")]
    path = tmp_path / "2025年重点项目进度表.xlsx"
    path.write_bytes(sf.schedule_xlsx(rows))

    login(admin_user)
    page.goto(f"{live_server.url}/projects/import/")
    expect(page.locator("input[type=file]")).to_be_visible()
    screenshot("schedule-import-1-upload")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()

    expect(page.locator("#schedule-counts")).to_be_visible()
    expect(page.locator("#schedule-counts tbody tr").first).to_contain_text("1")
    expect(page.locator("#rejected-rows tbody tr")).to_have_count(1)  # industrial > planned
    expect(page.locator("#schedule-warnings")).to_contain_text("450.00")
    expect(page.locator("#schedule-period")).to_contain_text("2025")
    screenshot("schedule-import-2-preview")

    page.get_by_role("button", name="立即导入").click()
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("schedule-import-3-done")
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.COMMITTED
    assert Project.objects.count() == 3  # one matched by name, two created
    assert Project.objects.get(code="ZB2024-01").total_investment == 12000
    assert ProgressReport.objects.count() == 3


def test_schedule_wizard_asks_for_an_ambiguous_column(page, live_server, login, screenshot,
                                                      admin_user, park, industries, tmp_path):
    upper = ["序号", "申报项目名称", "原项目名称", *sf.UPPER[3:]]
    rows = [sf.project("甲项目"), sf.project("乙项目", serial="2")]
    rows = [[r[0], r[1], f"{r[1]}（原）", *r[3:]] for r in rows]
    path = tmp_path / "进度表.xlsx"
    path.write_bytes(sf.schedule_xlsx(rows, upper=upper))

    login(admin_user)
    page.goto(f"{live_server.url}/projects/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#ambiguous-columns")).to_be_visible()
    expect(page.locator("#commit-button")).to_be_disabled()
    screenshot("schedule-import-4-ambiguous")

    page.locator("select[name=col_1]").select_option("name")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("#ambiguous-columns")).to_have_count(0)
    expect(page.locator("#commit-button")).to_be_enabled()
    page.locator("#commit-button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert set(Project.objects.values_list("name", flat=True)) == {"甲项目", "乙项目"}
