"""The web wizard: upload → preview (mapping, options) → commit (sync or task) → done."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.importing.tasks import run_batch
from enterprises.models import Enterprise, ImportBatch
from tests.imports import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, data, name="名单.xlsx"):
    return client.post(reverse("imports:upload"),
                       {"file": SimpleUploadedFile(name, data)})


def rows_with_problems():
    return [files.HEADER, *files.rows(3),
            ["4", "=HYPERLINK(\"x\")", "BAD", "-5", "", "", ""],
            ["", "合计", "", "100", "", "", ""]]


def test_upload_preview_commit_done(admin_client, park, industries, admin_user):
    response = upload(admin_client, files.xlsx_bytes(rows_with_problems()))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:batch", args=[batch.pk])
    assert batch.state == ImportBatch.State.PREVIEWED and batch.created_by == admin_user
    assert (batch.created_count, batch.rejected_count, batch.total_rows) == (3, 2, 5)
    assert Enterprise.objects.count() == 0  # preview writes nothing

    page = admin_client.get(response["Location"]).content.decode()
    assert "新增（将创建）" in page and "第 2 行" in page  # header row shown
    assert "序号" in page  # ignored column listed
    assert "统一社会信用代码应为18位" in page and "合计行" in page

    response = admin_client.post(reverse("imports:commit", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.COMMITTED and batch.created_count == 3
    assert Enterprise.objects.count() == 3
    # A second click changes nothing.
    admin_client.post(reverse("imports:commit", args=[batch.pk]))
    assert Enterprise.objects.count() == 3 and Enterprise.history.count() == 3
    page = admin_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "已于" in page


def test_error_report_has_reason_column_and_is_neutralised(admin_client, park, industries):
    upload(admin_client, files.csv_bytes(rows_with_problems()), "名单.csv")
    batch = ImportBatch.objects.get()
    response = admin_client.get(reverse("imports:errors", args=[batch.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "行号" and values[0][-1] == "原因"
    assert values[0][1:-1] == tuple(files.HEADER)
    assert [v[0] for v in values[1:]] == [6, 7]
    assert values[1][2] == "'=HYPERLINK(\"x\")"  # formula neutralised
    assert "18位" in values[1][-1] and "负数" in values[1][-1]


def test_column_mapping_can_be_corrected(admin_client, park, industries):
    table = [["企业名称", "统一社会信用代码", "资金（元）"], ["甲公司", files.code(1), "100000"]]
    upload(admin_client, files.csv_bytes(table, title=False), "x.csv")
    batch = ImportBatch.objects.get()
    assert batch.column_mapping["columns"] == {"name": 0, "credit_code": 1}  # 资金 unknown
    url = reverse("imports:batch", args=[batch.pk])
    assert "资金（元）" in admin_client.get(url).content.decode()  # listed as ignored
    response = admin_client.post(url, {"col_0": "name", "col_1": "credit_code",
                                       "col_2": "registered_capital"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.column_mapping["columns"] == {"name": 0, "credit_code": 1,
                                               "registered_capital": 2}
    assert batch.created_count == 1 and batch.rejected_count == 0
    admin_client.post(reverse("imports:commit", args=[batch.pk]))
    assert str(Enterprise.objects.get().registered_capital) == "10.00"  # unit from the header
    # Choosing one field twice is refused with a message.
    batch.state = ImportBatch.State.PREVIEWED
    batch.save()
    response = admin_client.post(url, {"col_0": "name", "col_1": "name"})
    assert response.status_code == 400 and "两列" in response.content.decode()


def test_mapping_without_the_code_column_reports_it(admin_client, park, industries):
    table = [["企业名称", "注册资本"], ["甲", "1"]]
    response = upload(admin_client, files.csv_bytes(table, title=False), "x.csv")
    assert response.status_code == 400
    assert "统一社会信用代码" in response.content.decode()
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.4\x00\x00", "不是电子表格"),
    (files.bomb_bytes(50), "膨胀"),
])
def test_bad_files_get_a_clear_message_and_write_nothing(admin_client, park, data, words,
                                                         settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    response = upload(admin_client, data)
    assert response.status_code == 400 and words in response.content.decode()
    assert ImportBatch.objects.count() == 0 and Enterprise.objects.count() == 0


def test_strict_mode_blocks_commit(admin_client, park, industries):
    upload(admin_client, files.xlsx_bytes(rows_with_problems()))
    batch = ImportBatch.objects.get()
    url = reverse("imports:batch", args=[batch.pk])
    data = {f"col_{i}": v for i, v in enumerate(
        ["", "name", "credit_code", "registered_capital", "settled_on", "relation",
         "industry"])}
    admin_client.post(url, {**data, "strict": "on"})
    batch.refresh_from_db()
    assert batch.strict
    assert 'id="commit-button" disabled' in admin_client.get(url).content.decode()
    admin_client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED and Enterprise.objects.count() == 0


def test_task_function_directly(park, industries, admin_user, monkeypatch):
    # In-process on purpose: the progress callback is spied on, which a worker process hides.
    # The same function through the real worker: tests/imports/test_background.py.
    from enterprises.importing import validate as validate_module
    from enterprises.importing.writer import analyse, new_batch

    data = files.csv_bytes([files.HEADER, *files.rows(12)])
    mapping, validated = analyse(data)
    batch = new_batch(park=park, data=data, file_name="t.csv", user=admin_user,
                      mapping=mapping, validated=validated, state=ImportBatch.State.QUEUED)
    monkeypatch.setattr(validate_module, "PROGRESS_EVERY", 5)
    seen = []

    def spy(rows):  # progress is written to the batch as rows are checked
        seen.append(rows)

    from enterprises.importing import writer as writer_module

    real_rerun = writer_module.rerun_batch

    def rerun(batch_, progress=None):
        def both(rows):
            spy(rows)
            progress(rows)
        return real_rerun(batch_, progress=both)

    monkeypatch.setattr("enterprises.importing.tasks.rerun_batch", rerun)
    result = run_batch(batch.pk)
    batch.refresh_from_db()
    assert result["created"] == 12 and batch.state == ImportBatch.State.COMMITTED
    assert seen == [5, 10, 12] and batch.processed_rows == 12
    assert run_batch(batch.pk) == {"batch": batch.pk, "skipped": True}  # never run twice


def test_progress_partial_while_running(admin_client, park, industries):
    upload(admin_client, files.csv_bytes([files.HEADER, *files.rows(4)]), "x.csv")
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(state="running", processed_rows=2)
    response = admin_client.get(reverse("imports:status", args=[batch.pk]))
    html = response.content.decode()
    assert "HX-Refresh" not in response and 'aria-valuenow="50"' in html and "hx-get" in html
    page = admin_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "htmx" in page and 'id="import-progress"' in page


def test_other_parks_batches_are_hidden(admin_client, park, industries, admin_user):
    from enterprises.importing.writer import analyse, new_batch
    from parks.models import Park

    other = Park.objects.create(name="别的园区", slug="other")
    data = files.csv_bytes([files.HEADER, *files.rows(1)])
    mapping, validated = analyse(data)
    batch = new_batch(park=other, data=data, file_name="o.csv", mapping=mapping,
                      validated=validated)
    assert admin_client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404


def test_staff_and_leader_are_refused(client, staff_user, leader):
    for user in (staff_user, leader):
        client.force_login(user)
        assert client.get(reverse("imports:upload")).status_code == 403
