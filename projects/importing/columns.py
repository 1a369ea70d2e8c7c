"""The columns of a 重点项目进度表 (project schedule) and where its year and month are written.

Offices keep the schedule as a sheet with a merged title (镇巴县产业园区2025年重点项目建设进度表),
a 填报单位 / 单位：万元 / date line, then a two-level header: merged group cells such as
年度计划 over 计划投资 and 其中工业投资, or 1—3月完成 over 本月 and 累计. imports.headers reads the
two rows as one header per column ("年度计划 计划投资"); the synonyms below match those.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from imports import headers as generic
from imports.headers import Column

COLUMNS = [
    Column("code", _("Project code"), ("项目编号", "项目代码", "项目编码", "编号", "代码",
                                       "projectcode", "code")),
    Column("name", _("Project name"), ("项目名称", "项目", "名称", "项目全称", "projectname",
                                       "project", "name"), required=True),
    Column("industry", _("Industry"), ("产业类别", "所属产业", "产业", "产业类型", "行业",
                                       "所属行业", "产业链", "industry")),
    Column("construction_content", _("Construction content"), (
        "建设内容及规模", "建设规模及内容", "建设内容", "主要建设内容", "建设规模",
        "constructioncontent")),
    Column("construction_nature", _("Nature of construction"), ("建设性质", "性质")),
    Column("location", _("Location"), ("建设地点", "项目地点", "地点", "location")),
    Column("responsible_unit", _("Responsible unit"), (
        "责任单位", "牵头单位", "责任部门", "业主单位", "建设单位", "responsibleunit")),
    Column("leader_in_charge", _("Leader in charge"), (
        "包抓领导", "包联领导", "县级包抓领导", "责任领导", "包抓县级领导")),
    Column("total_investment", _("Total investment"), (
        "总投资", "项目总投资", "计划总投资", "totalinvestment"), unit=True),
    Column("completed_before_year", _("Completed to the end of last year"), (
        "至上年底累计完成投资", "至上年底累计完成", "至上年底累计", "上年底累计完成",
        "至上年末累计完成"), unit=True),
    Column("planned_investment", _("Planned investment for the year"), (
        "年度计划计划投资", "年度计划投资", "年度计划", "计划投资", "年计划投资", "年度投资计划",
        "本年计划投资", "plannedinvestment"), unit=True),
    Column("industrial_investment", _("Of which industrial investment"), (
        "年度计划其中工业投资", "其中工业投资", "其中工业", "工业投资",
        "industrialinvestment"), unit=True),
    Column("month_completed", _("Completed this month"), (
        "本月完成", "本月完成投资", "本月", "当月完成", "当月", "monthcompleted"), unit=True),
    Column("cumulative", _("Completed this year to date"), (
        "累计完成", "累计完成投资", "累计", "本年累计", "年度累计完成", "cumulative"),
        unit=True),
    Column("completion_rate", _("Share of the annual plan completed"), (
        "完成率", "年度计划完成率", "投资完成率", "占年度计划", "占年度计划比例",
        "完成年度计划", "completionrate")),
    Column("image_progress", _("Physical progress"), (
        "形象进度", "工程形象进度", "项目进展情况", "进展情况", "形象进度情况", "进度",
        "progress")),
    Column("problems", _("Problems"), (
        "存在问题", "存在的问题", "问题", "存在困难和问题", "困难和问题", "存在问题及建议",
        "problems")),
]

MATCHER = generic.HeaderMatcher(COLUMNS)
AMOUNT_FIELDS = ("total_investment", "completed_before_year", "planned_investment",
                 "industrial_investment", "month_completed", "cumulative")


class ScheduleMapping(generic.ColumnMapping):
    matcher = MATCHER

    def missing_message(self, missing):
        return (_("The file has no column for: %(fields)s. Name the column in the header row "
                  "(e.g. 项目名称) or choose it in the column mapping.")
                % {"fields": "、".join(missing)})


ScheduleMapping.no_header_message = _(
    "No header row was found in the first %(n)s rows. The header must name at least the "
    "project name and one figure (e.g. 项目名称, 总投资, 年度计划).")


_YEAR = re.compile(r"(20\d{2})\s*年")
_MONTH_RANGE = re.compile(r"1\s*[—–\-~～至到]+\s*(\d{1,2})\s*月")
_YEAR_MONTH = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_DATE_LINE = ("填报", "日期", "制表", "时间")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def period_from_sheet(sheet, mapping) -> tuple[int | None, int | None]:
    """(year, month) as the title above the header or the header itself states them: the year
    from "2025年" in the title (else in the header: "2025年度计划"), the month from "1—3月"
    (a header such as 1—3月完成, or the title) or "2025年3月" in the title. A 填报日期 line is
    the day the sheet was filled in, not its month, and is not read."""
    above = [_fold(" ".join(c for c in cells if c)) for number, cells in sheet.head
             if number < mapping.header_row]
    above = [line for line in above if line.strip()]
    title_lines = [line for line in above
                   if not line.replace(" ", "").startswith(_DATE_LINE)]
    header_text = _fold(" ".join(mapping.headers))
    year = month = None
    for text in (*title_lines, header_text):
        if year is None and (found := _YEAR.search(text)):
            year = int(found[1])
        if month is None and (found := _MONTH_RANGE.search(text)):
            month = int(found[1])
        if month is None and (found := _YEAR_MONTH.search(text)):
            year = year or int(found[1])
            month = int(found[2])
    if month is not None and not 1 <= month <= 12:
        month = None
    return year, month
