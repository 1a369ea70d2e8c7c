"""The workbook: layout, numeric cells, totals equal to the roll-up, injection neutralised."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from dashboard.selectors import park_rollup
from parkportal.exports import neutralise_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(client, leader, small_park):
    client.force_login(leader)
    response = client.get("/dashboard/export.xlsx", {"park": "testpark", "year": 2024,
                                                     "quarter": 2})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(BytesIO(response.content))


def test_schedule_sheet_layout(workbook):
    assert workbook.sheetnames == ["汇总", "重点项目进度表", "招商引资"]
    ws = workbook["重点项目进度表"]
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    assert "测试产业园区" in ws["A1"].value and "2024" in ws["A1"].value
    assert "万元" in ws["A2"].value
    header = [c.value for c in ws[3]]
    assert header[:11] == ["序号", "项目名称", "建设内容", "总投资", "年度计划投资", "本月完成",
                           "累计完成", "完成率", "形象进度", "存在问题", "责任人"]
    assert ws.freeze_panes == "C4"


def test_totals_equal_the_rollup_and_cells_are_numbers(park, workbook):
    figures = park_rollup(park=park, year=2024, quarter=2)
    ws = workbook["重点项目进度表"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    projects, total = rows[:-1], rows[-1]
    assert [row[1] for row in projects] == ["项目甲", "项目丙", "项目乙", "项目戊"]  # major first
    assert "合计" in total[1]
    for value in (total[3], total[4], total[6]):
        assert isinstance(value, int | float)
    assert D(str(total[3])) == figures["total_investment"]
    assert D(str(total[4])) == figures["annual_planned"]
    assert D(str(total[6])) == figures["completed_ytd"]
    assert D(str(sum(row[6] for row in projects))) == figures["completed_ytd"]
    assert ws.cell(row=4, column=8).number_format == "0.0%"
    assert ws.cell(row=4, column=4).number_format == "#,##0.00"


def test_summary_sheet_matches_rollup(park, workbook):
    figures = park_rollup(park=park, year=2024, quarter=2)
    ws = workbook["汇总"]
    values = {row[0]: row[1] for row in ws.iter_rows(min_row=4, max_row=25, values_only=True)
              if row[0]}
    assert D(str(values["累计完成投资"])) == figures["completed_ytd"]
    assert values["计划实施项目"] == figures["projects_planned"]


def test_injection_neutralised_in_every_text_cell(workbook):
    ws = workbook["重点项目进度表"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"x\")" in texts          # construction content of project A
    assert "'@设备安装" in texts                     # B's physical progress
    assert "'-资金缺口" in texts                     # A's latest (May) problems
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    assert cell.value[0] not in "=+-@\t\r\n", cell.coordinate


@pytest.mark.parametrize(("raw", "safe"), [("=1+1", "'=1+1"), ("+86", "'+86"), ("-2", "'-2"),
                                          ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
                                          ("正常", "正常"), (D("1.5"), D("1.5"))])
def test_neutralise_cell(raw, safe):
    assert neutralise_cell(raw) == safe


def test_investment_sheet_equals_the_rollup(client, leader, park, staff_user):
    """The 招商 sheet: the investment figures of the roll-up and one row per lead."""
    from datetime import date

    from leads import services
    from tests.leads.conftest import make_lead

    lead = make_lead(park, staff_user, investor="杭州某医药", registered_on=date(2024, 2, 1))
    services.change_stage(lead=lead, user=staff_user, to_stage="signed", on=date(2024, 2, 20),
                          signed_amount=D("4200.50"))
    services.record_funds(lead=lead, user=staff_user, received_on=date(2024, 3, 1),
                          amount=D("1000"))
    services.record_funds(lead=lead, user=staff_user, received_on=date(2024, 5, 1),
                          amount=D("500"))
    client.force_login(leader)
    response = client.get("/dashboard/export.xlsx", {"park": "testpark", "year": 2024,
                                                     "quarter": 1})
    ws = load_workbook(BytesIO(response.content))["招商引资"]
    values = {row[0].value: row[1].value for row in ws.iter_rows(min_row=4, max_row=10)}
    investment = park_rollup(park=park, year=2024, quarter=1)["investment"]
    assert values["签约项目"] == investment["signed"] == 1
    assert D(str(values["签约金额"])) == investment["signed_amount"] == D("4200.50")
    assert D(str(values["到位资金"])) == investment["funds_in_place"] == D("1000.00")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=13)]
    assert rows[0][0] == "杭州某医药" and D(str(rows[0][7])) == D("1000")  # funds to Q1 end


def test_project_rows_written_as_xml_keep_styles(workbook):
    """The project rows are written as sheet XML (dashboard.exports.RowWriter): each cell
    keeps its named style, numbers stay numbers, and the sheet's dimension covers them."""
    ws = workbook["重点项目进度表"]
    rows = list(ws.iter_rows(min_row=4))
    first, total = rows[0], rows[-1]
    assert first[0].value == 1 and isinstance(first[0].value, int)
    assert [c.style for c in first[:8]] == ["pp_plain", "pp_text", "pp_text", "pp_money",
                                            "pp_money", "pp_money", "pp_money", "pp_rate"]
    assert first[13].style.startswith("pp_light_") or first[13].style == "pp_plain"
    assert total[3].style == "pp_total_money" and total[7].style == "pp_total_rate"
    assert ws.max_row == 3 + len(rows)
    assert ws.calculate_dimension() == f"A1:N{ws.max_row}"


def test_special_characters_in_project_rows(client, leader, small_park):
    """XML-special characters come out as written; control characters (not allowed in XML)
    are dropped; trailing spaces kept."""
    from projects.models import Project

    Project.objects.filter(code="B").update(name="甲&乙 <一期>\x07 \"R&D\" ")
    client.force_login(leader)
    response = client.get("/dashboard/export.xlsx", {"park": "testpark", "year": 2024,
                                                     "quarter": 2})
    ws = load_workbook(BytesIO(response.content))["重点项目进度表"]
    names = [row[1] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert "甲&乙 <一期> \"R&D\" " in names


def test_responsible_people_named(small_park, workbook, staff_user):
    ws = workbook["重点项目进度表"]
    by_name = {row[1]: row[10] for row in ws.iter_rows(min_row=4, values_only=True)}
    assert by_name["项目甲"] == "张三" == staff_user.get_full_name()
    assert by_name["项目乙"] in (None, "")  # nobody responsible
