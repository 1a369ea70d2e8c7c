"""重点项目进度表 workbooks built by the tests, as offices lay them out: a merged title, a
填报单位 / 单位 / date line, a two-level header with merged group cells, section rows, 合计 and
注 lines."""

import io

import openpyxl

UPPER = ["序号", "项目名称", "建设内容及规模", "建设性质", "总投资（万元）", "2025年度计划", "",
         "1—3月完成", "", "完成率", "形象进度", "存在问题", "责任单位"]
LOWER = ["", "", "", "", "", "计划投资", "其中工业投资", "本月", "累计", "", "", "", ""]
GROUPS = ((6, 7), (8, 9))  # 1-based columns of the merged group cells (F:G, H:I)


def project(name, total="12,000", planned="3000", industrial="2000", month="150",
            cumulative="450", rate="15.0%", progress="主体结构施工", problems="无",
            content="建设厂房及配套设施", nature="新建", unit="园区管委会", serial="1"):
    return [serial, name, content, nature, total, planned, industrial, month, cumulative,
            rate, progress, problems, unit]


def schedule_rows(n_continuing=2, n_new=1):
    rows = [["一、续建项目"]]
    for i in range(1, n_continuing + 1):
        rows.append(project(f"续建项目{i}", serial=str(i)))
    rows.append(["二、新开工项目"])
    for i in range(1, n_new + 1):
        rows.append(project(f"新开工项目{i}", total="8000", planned="2000", industrial="0",
                            month="0", cumulative="0", rate="0%", progress="办理前期手续",
                            problems="用地指标未落实", serial=str(n_continuing + i)))
    return rows


def schedule_xlsx(rows=None, *, title="镇巴县产业园区2025年重点项目建设进度表", upper=None,
                  lower=None, totals=True, note=True, date_line=True) -> bytes:
    """The workbook's bytes. `rows` are the body rows (a one-cell row is a section row,
    merged across the table)."""
    upper, lower = upper or UPPER, lower or LOWER
    rows = schedule_rows() if rows is None else rows
    width = len(upper)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "进度表"
    line = 1
    if title:
        sheet.cell(line, 1, title)
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        line += 1
    if date_line:
        sheet.cell(line, 1, "填报单位：镇巴县产业园区管理委员会")
        sheet.cell(line, 9, "单位：万元")
        sheet.cell(line, 11, "填报日期：2025年4月5日")
        line += 1
    header = line
    for col, text in enumerate(upper, 1):
        if text:
            sheet.cell(header, col, text)
    for col, text in enumerate(lower, 1):
        if text:
            sheet.cell(header + 1, col, text)
    grouped = {c for pair in GROUPS for c in pair} if upper is UPPER else set()
    for first, last in (GROUPS if upper is UPPER else ()):
        sheet.merge_cells(start_row=header, start_column=first, end_row=header, end_column=last)
    for col in range(1, width + 1):
        if col not in grouped and upper[col - 1] and not lower[col - 1]:
            sheet.merge_cells(start_row=header, start_column=col, end_row=header + 1,
                              end_column=col)
    line = header + 2
    for row in rows:
        if len(row) == 1:
            sheet.cell(line, 1, row[0])
            sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        else:
            for col, value in enumerate(row, 1):
                if value not in ("", None):
                    sheet.cell(line, col, value)
        line += 1
    if totals:
        sheet.cell(line, 1, "合计")
        sheet.cell(line, 5, 32000)
        line += 1
    if note:
        sheet.cell(line, 1, "注：本表金额单位为万元，形象进度截至月底。")
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
