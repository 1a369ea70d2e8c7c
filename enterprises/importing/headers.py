"""Find the header row of an enterprise list and map its columns to Enterprise fields.

Offices put a title above the header, write headers in Chinese or English, in any order, with
a unit in brackets (注册资本（万元）) and often a 序号 column. Headers are compared after NFKC
folding (full-width → half-width), lower-casing and removing spaces, `*` and the bracketed
part, against the synonyms below. A bracketed unit is kept for amounts.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.importing.reader import ImportFileError, Sheet

HEADER_SEARCH_ROWS = 30

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

_SYNONYMS = {synonym: name for name, (_label, synonyms) in FIELDS.items()
             for synonym in synonyms}
_BRACKETS = re.compile(r"[(\[【<《]([^)\]】>》]*)[)\]】>》]")
_DROP = re.compile(r"[\s*:_\-·.。、]+")

# A unit written in a header bracket -> multiplier to 万元.
UNITS = {
    "万元": Decimal(1), "万": Decimal(1), "人民币万元": Decimal(1), "万元人民币": Decimal(1),
    "10kyuan": Decimal(1), "10,000yuan": Decimal(1), "tenthousandyuan": Decimal(1),
    "元": Decimal("0.0001"), "人民币元": Decimal("0.0001"), "元人民币": Decimal("0.0001"),
    "yuan": Decimal("0.0001"), "cny": Decimal("0.0001"), "rmb": Decimal("0.0001"),
    "亿元": Decimal(10000), "亿": Decimal(10000),
}


def header_key(text: str) -> tuple[str, str]:
    """(normalised header without brackets, normalised bracket content)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    units = " ".join(_BRACKETS.findall(folded))
    base = _BRACKETS.sub("", folded)
    return _DROP.sub("", base), re.sub(r"\s+", "", units)


def field_for_header(text: str) -> str | None:
    base, _units = header_key(text)
    if not base:
        return None
    if base in _SYNONYMS:
        return _SYNONYMS[base]
    # "入驻/代管" keeps its slash before _DROP; try the raw folded form too.
    raw = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())
    return _SYNONYMS.get(raw)


def unit_for_header(text: str) -> Decimal | None:
    """The multiplier to 万元 stated in a header, or None when it states none."""
    _base, units = header_key(text)
    for part in units.split(" ") if units else ():
        if part in UNITS:
            return UNITS[part]
    return None


@dataclass
class ColumnMapping:
    """Which column (0-based index) feeds which field, as detected or corrected by an admin."""

    header_row: int
    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    units: dict[str, str] = field(default_factory=dict)  # field -> multiplier as text

    @property
    def ignored(self) -> list[tuple[int, str]]:
        used = set(self.columns.values())
        return [(i, h) for i, h in enumerate(self.headers) if i not in used and h.strip()]

    def header_of(self, field_name: str) -> str:
        index = self.columns.get(field_name)
        if index is None or index >= len(self.headers):
            return str(FIELDS[field_name][0])
        return self.headers[index].strip() or str(FIELDS[field_name][0])

    def multiplier(self, field_name: str) -> Decimal:
        return Decimal(self.units.get(field_name, "1"))

    def to_json(self) -> dict:
        return {"header_row": self.header_row, "headers": self.headers,
                "columns": self.columns, "units": self.units}

    @classmethod
    def from_json(cls, data: dict) -> "ColumnMapping":
        return cls(header_row=int(data["header_row"]), headers=list(data["headers"]),
                   columns={k: int(v) for k, v in data.get("columns", {}).items()},
                   units=dict(data.get("units", {})))

    def with_columns(self, columns: dict[str, int]) -> "ColumnMapping":
        """The same header with a corrected field -> column choice (units re-read)."""
        units = {}
        for name, index in columns.items():
            unit = unit_for_header(self.headers[index]) if name == "registered_capital" else None
            if unit is not None:
                units[name] = str(unit)
        return ColumnMapping(self.header_row, self.headers, dict(columns), units)

    def check_required(self) -> None:
        missing = [str(FIELDS[name][0]) for name in REQUIRED if name not in self.columns]
        if missing:
            raise ImportFileError(
                _("The file has no column for: %(fields)s. Name the column in the header row "
                  "(e.g. 企业名称, 统一社会信用代码) or choose it in the column mapping.")
                % {"fields": "、".join(missing)})


def map_header(headers: list[str], header_row: int) -> ColumnMapping:
    columns: dict[str, int] = {}
    for index, text in enumerate(headers):
        name = field_for_header(text)
        if name and name not in columns:
            columns[name] = index
    mapping = ColumnMapping(header_row, [h.strip() for h in headers])
    return mapping.with_columns(columns)


def detect_header(sheet: Sheet) -> ColumnMapping:
    """The row among the first ones that names the most known columns, mapped."""
    best: tuple[int, int, list[str]] | None = None
    for number, cells in sheet.head[:HEADER_SEARCH_ROWS]:
        found = {field_for_header(cell) for cell in cells if cell.strip()} - {None}
        score = len(found) + (2 if found & set(REQUIRED) else 0)
        if len(found) >= 2 and (best is None or score > best[0]):
            best = (score, number, cells)
    if best is None:
        raise ImportFileError(_(
            "No header row was found in the first %(n)s rows. The header must name at least "
            "the enterprise name and the unified social credit code columns (e.g. 企业名称, "
            "统一社会信用代码).") % {"n": HEADER_SEARCH_ROWS})
    _score, number, cells = best
    return map_header(cells, number)
