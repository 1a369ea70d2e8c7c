"""List exports are Excel-ready (issue 12): numeric cells with number formats, dates as
dates, 是/否 (Yes/No in English), no HTML, sized columns, a frozen header; CSV with a BOM."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal as D

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Visit
from projects.models import ProgressReport
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def column(sheet, header):
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


@pytest.fixture
def visited(enterprise, staff_user):
    enterprise.registered_capital = D("1200.50")
    enterprise.employees = 35
    enterprise.save()
    Visit.objects.create(enterprise=enterprise, staff=staff_user,
                         visited_on=timezone.localdate() - timedelta(days=2), notes="走访")
    return enterprise


def test_enterprise_xlsx_has_numbers_dates_and_no_html(client, admin_user, visited):
    client.login(username=admin_user.username, password=PASSWORD)
    sheet = workbook(client.get(reverse("enterprises:list"), {"_export": "xlsx"}))
    capital = column(sheet, "注册资本（万元）")[0]
    assert capital.value == 1200.5 and capital.data_type == "n"
    assert capital.number_format == "#,##0.00"
    employees = column(sheet, "职工人数")[0]
    assert employees.value == 35 and employees.number_format == "0"
    last_visit = column(sheet, "最近走访")[0]
    assert last_visit.is_date and last_visit.value.date() == timezone.localdate() - timedelta(2)
    for row in sheet.iter_rows():
        for cell in row:
            assert not (isinstance(cell.value, str) and "<" in cell.value), cell.coordinate
    assert sheet.freeze_panes == "A2"
    assert sheet[1][0].font.b
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert len(widths) == sheet.max_column
    assert min(widths.values()) >= 6
    name_width = widths["A"]  # 陕西测试生物科技有限公司: 12 wide characters
    assert name_width >= 24


def test_project_xlsx_rates_money_and_yes_no(client, admin_user, project):
    ProgressReport.objects.create(project=project, year=2024, month=1,
                                  completed_investment=D("1000.00"), status="approved")
    project.is_major = True
    project.save()
    client.login(username=admin_user.username, password=PASSWORD)
    sheet = workbook(client.get(reverse("projects:list"), {"_export": "xlsx", "year": 2024}))
    rate = column(sheet, "完成率")[0]
    assert rate.value == 0.25 and rate.number_format == "0.0%"
    planned = column(sheet, "2024年计划投资（万元）")[0]
    assert planned.value == 4000 and planned.number_format == "#,##0.00"
    assert column(sheet, "重大")[0].value == "是"
    assert column(sheet, "工业")[0].value == "是"
    assert column(sheet, "实际开工")[0].value.date() == date(2024, 1, 10)


def test_english_ui_says_yes_and_no(client, admin_user, project):
    client.login(username=admin_user.username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sheet = workbook(client.get(reverse("projects:list"), {"_export": "xlsx", "year": 2024}))
    assert column(sheet, "Industrial")[0].value == "Yes"
    assert column(sheet, "Major")[0].value == "No"


def test_csv_has_a_bom_plain_numbers_and_yes_no(client, admin_user, visited, project):
    client.login(username=admin_user.username, password=PASSWORD)
    response = client.get(reverse("enterprises:list"), {"_export": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, first = rows[0], rows[1]
    assert first[header.index("注册资本（万元）")] == "1200.50"
    assert first[header.index("最近走访")] == (timezone.localdate() - timedelta(2)).isoformat()
    assert not any("<" in value for value in first)
    response = client.get(reverse("projects:list"), {"_export": "csv", "year": 2024})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][rows[0].index("工业")] == "是"


def test_export_cells_stay_formula_safe(client, admin_user, visited):
    visited.name = "=HYPERLINK(\"http://x\")"
    visited.origin = "-1"
    visited.save()
    client.login(username=admin_user.username, password=PASSWORD)
    sheet = workbook(client.get(reverse("enterprises:list"), {"_export": "xlsx"}))
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in values and "'-1" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
