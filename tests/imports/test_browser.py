"""Upload → preview → commit → progress → done in a real browser, with screenshots."""

import re

import pytest
from playwright.sync_api import expect

from enterprises.models import Enterprise, ImportBatch
from tests.imports import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_wizard(page, live_server, login, screenshot, admin_user, park, industries,
                       tmp_path, settings, task_worker):
    settings.IMPORT_BACKGROUND_ROWS = 10
    rows = [files.HEADER, *files.rows(24),
            ["25", "测试企业25有限公司", "91350100M000100Y4X", "1,200", "2024-02-30", "入驻",
             "生物医药"],
            ["", "合计", "", "3000", "", "", ""]]
    path = tmp_path / "园区企业名单.xlsx"
    path.write_bytes(files.xlsx_bytes(rows))

    login(admin_user)
    page.goto(f"{live_server.url}/enterprises/import/")
    expect(page.get_by_role("heading", name="导入企业")).to_be_visible()
    screenshot("import-1-upload")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()

    expect(page.locator("#rejected-rows")).to_be_visible()
    expect(page.locator("#rejected-rows tbody tr")).to_have_count(3)  # 2 on row 27, 1 on 28
    expect(page.get_by_text("合计行不是企业")).to_be_visible()
    screenshot("import-2-preview")

    # No worker yet: the batch waits in the queue, and says so, also after a reload.
    page.get_by_role("button", name="立即导入").click()
    batch = ImportBatch.objects.get()
    expect(page.get_by_text("正在等待后台任务处理")).to_be_visible()
    page.reload()
    expect(page.get_by_text("正在等待后台任务处理")).to_be_visible()
    screenshot("import-3-queued")

    # The worker starts: the page follows the batch to the end by itself.
    task_worker.start()
    expect(page.get_by_text(re.compile("已于 .* 导入"))).to_be_visible(timeout=30_000)
    expect(page.locator(".figure-card .value").first).to_have_text("24")
    screenshot("import-4-done")
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.COMMITTED and Enterprise.objects.count() == 24

    page.get_by_role("link", name="导入企业").first.click()
    expect(page.get_by_text("园区企业名单.xlsx")).to_be_visible()
    screenshot("import-5-recent")


def test_bad_file_message(page, live_server, login, screenshot, admin_user, park, tmp_path):
    path = tmp_path / "报表.xls"
    path.write_bytes(b"<html><body><table><tr><td>x</td></tr></table></body></html>")
    login(admin_user)
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_text("另存为 .xlsx")).to_be_visible()
    screenshot("import-6-bad-file")
    assert ImportBatch.objects.count() == 0
