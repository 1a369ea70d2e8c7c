"""The enterprise list's columns, for the generic header matching of imports.headers.

Offices put a title above the header, write headers in Chinese or English, in any order, with
a unit in brackets (注册资本（万元）), a note in brackets, a line break or an English name beside
the Chinese one, and often a 序号 column. How headers are compared (exactly, or containing a
synonym among other words; ambiguity) is imports.headers.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports import headers as generic
from imports.headers import (  # noqa: F401  (the names this module always had)
    HEADER_SEARCH_ROWS,
    UNITS,
    AmbiguousColumns,
    Column,
    header_key,
    unit_for_header,
)
from imports.reader import ImportFileError, Sheet

# Import field -> (label, synonyms). Synonyms are written already normalised (see header_key).
FIELDS: dict[str, tuple] = {
    "name": (gettext_lazy("Enterprise name"), (
        "企业名称", "单位名称", "公司名称", "企业名", "企业全称", "单位全称", "公司全称", "名称",
        "企业", "单位", "companyname", "company", "enterprisename", "enterprise", "name")),
    "credit_code": (gettext_lazy("Unified social credit code"), (
        "统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "统一代码",
        "社会统一信用代码", "uscc", "unifiedsocialcreditcode", "creditcode",
        "socialcreditcode")),
    "industry": (gettext_lazy("Industry"), (
        "产业", "所属产业", "产业类别", "产业类型", "行业", "所属行业", "行业类别", "产业分类",
        "industry", "sector")),
    "origin": (gettext_lazy("Origin"), (
        "来源地", "投资方来源地", "投资来源地", "来源", "招商来源地", "客商来源地", "origin",
        "investororigin")),
    "relation": (gettext_lazy("Relation to the park"), (
        "入驻/代管", "入驻或代管", "与园区关系", "园区关系", "服务方式", "管理方式", "关系",
        "relation", "relationtothepark", "relationship")),
    "status": (gettext_lazy("Status"), (
        "状态", "企业状态", "当前状态", "进展状态", "status")),
    "settled_on": (gettext_lazy("Settled on"), (
        "入驻时间", "入驻日期", "落户时间", "落户日期", "入园时间", "入园日期", "settledon",
        "settleddate", "settlementdate", "datesettled")),
    "registered_capital": (gettext_lazy("Registered capital"), (
        "注册资本", "注册资金", "注册资本金", "registeredcapital", "capital")),
    "employees": (gettext_lazy("Employees"), (
        "员工人数", "职工人数", "从业人员", "从业人数", "用工人数", "员工数", "人数", "employees",
        "headcount", "numberofemployees")),
    "contact_person": (gettext_lazy("Contact person"), (
        "联系人", "企业联系人", "负责人", "contact", "contactperson")),
    "contact_phone": (gettext_lazy("Contact phone"), (
        "联系电话", "电话", "手机", "手机号码", "联系方式", "电话号码", "phone", "telephone",
        "contactphone", "mobile", "tel")),
    "introduced_year": (gettext_lazy("Year introduced"), (
        "引进年份", "引进年度", "招引年份", "引进时间", "yearintroduced", "introducedyear",
        "introducedin")),
    "address": (gettext_lazy("Address"), (
        "地址", "企业地址", "注册地址", "经营地址", "生产经营地址", "address")),
}
REQUIRED = ("name", "credit_code")
UNIT_FIELDS = ("registered_capital",)

MATCHER = generic.HeaderMatcher([
    Column(name, label, synonyms, required=name in REQUIRED, unit=name in UNIT_FIELDS)
    for name, (label, synonyms) in FIELDS.items()])


def field_for_header(text: str) -> str | None:
    return MATCHER.field_for_header(text)


class ColumnMapping(generic.ColumnMapping):
    """Which column of an enterprise list feeds which Enterprise field."""

    matcher = MATCHER

    def missing_message(self, missing: list[str]) -> str:
        return (_("The file has no column for: %(fields)s. Name the column in the header row "
                  "(e.g. 企业名称, 统一社会信用代码) or choose it in the column mapping.")
                % {"fields": "、".join(missing)})


ColumnMapping.no_header_message = gettext_lazy(
    "No header row was found in the first %(n)s rows. The header must name at least "
    "the enterprise name and the unified social credit code columns (e.g. 企业名称, "
    "统一社会信用代码).")


def map_header(headers: list[str], header_row: int) -> ColumnMapping:
    return MATCHER.map_header(headers, header_row, ColumnMapping)


def detect_header(sheet: Sheet) -> ColumnMapping:
    """The row among the first ones that names the most known columns, mapped."""
    return generic.detect_header(sheet, ColumnMapping)


__all__ = ["FIELDS", "REQUIRED", "ColumnMapping", "ImportFileError", "detect_header",
           "field_for_header", "map_header", "unit_for_header"]
