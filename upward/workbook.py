"""The upward workbook (上报表): 重点项目 1—N月 计划与完成情况表 in the layout county and city
offices collect, for a list of parks under one title.

A park's version and a region's are the same call (`plan_vs_completed_bytes(parks=…,
title=…)`): with one park the 合计 row is the park's; with several, each park gets a 小计 row
above its projects. Cells, styles and formula-injection neutralising are the dashboard
workbook's (dashboard.exports); the sheet is an office form, so it is always in Chinese.
"""

from io import BytesIO
from urllib.parse import quote

from django.utils import translation
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from dashboard.exports import cell, register_styles
from projects.models import ConstructionNature, ProjectStage
from upward.selectors import PlanVsCompleted, plan_vs_completed

# (label, width, style) of the columns before and after the months.
LEADING = [
    ("序号", 6, "plain"), ("项目名称", 30, "text"), ("建设性质", 8, "text"),
    ("项目阶段", 10, "text"), ("总投资", 14, "money"), ("年度计划投资", 14, "money"),
]
TRAILING = [("形象进度", 36, "text"), ("责任单位", 18, "text"), ("包抓领导", 10, "text")]
MONTH_WIDTH = 11


def title_for(scope_name: str, year: int, month: int) -> str:
    span = _span(month)
    return f"{scope_name}{year}年{span}重点项目投资计划与完成情况表"


def filename_for(scope_name: str, year: int, month: int) -> str:
    return quote(f"{scope_name}-{year}-{month:02d}-计划与完成情况表.xlsx")


def build_plan_vs_completed(*, parks, year: int, month: int, title: str) -> Workbook:
    """The workbook for `parks` (a park, or a region's parks) for months 1 .. `month`."""
    with translation.override("zh-hans"):
        report = plan_vs_completed(parks=parks, year=year, month=month)
        wb = Workbook(write_only=True)
        register_styles(wb)
        _sheet(wb.create_sheet(), report, title)
    return wb


def plan_vs_completed_bytes(*, parks, year: int, month: int, title: str) -> bytes:
    buffer = BytesIO()
    build_plan_vs_completed(parks=parks, year=year, month=month, title=title).save(buffer)
    return buffer.getvalue()


def _span(month: int) -> str:
    return "1月" if month == 1 else f"1—{month}月"


def _sheet(ws, report: PlanVsCompleted, title: str):
    month = report.month
    span = _span(month)
    width = len(LEADING) + 3 + month + len(TRAILING)
    last = get_column_letter(width)
    ws.title = f"{span}计划与完成"
    ws.freeze_panes = "C5"
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    widths = ([w for _l, w, _s in LEADING] + [14, 14, 10] + [MONTH_WIDTH] * month
              + [w for _l, w, _s in TRAILING])
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    # Two header rows: single headers span both; the 1—N月 group and the months get a band.
    group_start = len(LEADING) + 1
    months_start = group_start + 3
    trailing_start = months_start + month
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    for col in [*range(1, group_start), *range(trailing_start, width + 1)]:
        letter = get_column_letter(col)
        ws.merged_cells.add(f"{letter}3:{letter}4")
    ws.merged_cells.add(f"{get_column_letter(group_start)}3:"
                        f"{get_column_letter(group_start + 2)}3")
    ws.merged_cells.add(f"{get_column_letter(months_start)}3:"
                        f"{get_column_letter(trailing_start - 1)}3")
    ws.append([cell(ws, title, "title")])
    ws.append([cell(ws, f"单位：万元　时序进度：{report.time_progress * 100:.1f}%", "units")])
    top = ([label for label, _w, _s in LEADING] + [f"{span}累计", None, None]
           + ["逐月完成投资"] + [None] * (month - 1) + [label for label, _w, _s in TRAILING])
    ws.append([cell(ws, value, "header") for value in top])
    below = ([None] * len(LEADING) + ["计划投资", "完成投资", "完成率"]
             + [f"{m}月" for m in range(1, month + 1)] + [None] * len(TRAILING))
    ws.append([cell(ws, value, "header") for value in below])
    several = len(report.blocks) > 1
    _total_row(ws, "合计" + (f"（{len(report.blocks)}个园区，" if several else "（")
               + f"{report.totals.projects}个项目）", report.totals)
    natures = dict(ConstructionNature.choices)
    stages = dict(ProjectStage.choices)
    number = 0
    for block in report.blocks:
        if several:
            _total_row(ws, f"{block.park.name}小计（{block.totals.projects}个项目）",
                       block.totals)
        for line in block.lines:
            number += 1
            p = line.project
            values = ([number, p.name, str(natures.get(p.construction_nature, "")),
                       str(stages.get(p.stage, p.stage)), p.total_investment, line.planned]
                      + [line.planned_to_month, line.completed, line.completion_rate]
                      + line.months
                      + [line.image_progress, p.responsible_unit, p.leader_in_charge])
            styles = ([s for _l, _w, s in LEADING] + ["money", "money", "rate"]
                      + ["money"] * month + [s for _l, _w, s in TRAILING])
            ws.append([cell(ws, v, s) for v, s in zip(values, styles, strict=True)])


def _total_row(ws, label, totals):
    month_count = len(totals.months)
    values = ([None, label, "", "", totals.total_investment, totals.planned,
               totals.planned_to_month, totals.completed, totals.completion_rate]
              + totals.months + ["", "", ""])
    styles = (["total"] * 4 + ["total_money"] * 4 + ["total_rate"]
              + ["total_money"] * month_count + ["total"] * 3)
    ws.append([cell(ws, v, s) for v, s in zip(values, styles, strict=True)])
