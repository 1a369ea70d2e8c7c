"""Read and check every row of a schedule, never stopping at the first problem.

Rows below the header are projects, except: blank rows; section rows (一、续建项目, （二）新开工项目
…: a numbered heading with no figures), which set the stage of the projects below them when they
are created; 合计 / 小计 lines; 注 / 备注 / 填报人 / 审核人 lines under the table. None of those
is ever a project. Amounts are read as numbers or text with separators (1,200 · 1200万元), rates
as 38.3% (imports.parsers via the enterprise parsers, all Decimal).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from enterprises.importing import normalize as n
from enterprises.importing.validate import RowError
from imports.reader import ImportFileError, Sheet
from projects.importing.columns import AMOUNT_FIELDS, ScheduleMapping, period_from_sheet
from projects.models import ConstructionNature, Project, ProjectStage

_NUMERAL = "[一二三四五六七八九十]+"
_SECTION = re.compile(rf"^\s*(?:{_NUMERAL}\s*[、.．]|[（(]\s*{_NUMERAL}\s*[)）])")
_FOOTER = ("注", "备注", "说明", "填报人", "填表人", "制表人", "审核人", "负责人", "联系人",
           "联系电话", "单位负责人")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
SECTION_STAGES = (("续建", ProjectStage.CONTINUING), ("新开工", ProjectStage.NEW_START),
                  ("新建", ProjectStage.NEW_START), ("前期", ProjectStage.PRELIMINARY),
                  ("储备", ProjectStage.PRELIMINARY), ("竣工", ProjectStage.COMPLETED),
                  ("完工", ProjectStage.COMPLETED), ("投产", ProjectStage.OPERATING))
NATURES = {"新建": ConstructionNature.NEW, "扩建": ConstructionNature.EXPANSION,
           "改扩建": ConstructionNature.EXPANSION, "改建": ConstructionNature.RENOVATION,
           "技改": ConstructionNature.RENOVATION, "技术改造": ConstructionNature.RENOVATION,
           "迁建": ConstructionNature.RELOCATION, "搬迁": ConstructionNature.RELOCATION}
TEXT_FIELDS = ("industry", "construction_content", "location", "responsible_unit",
               "leader_in_charge", "image_progress", "problems")


@dataclass
class ScheduleRow:
    row: int  # as the spreadsheet shows it
    values: dict  # field -> parsed value (None where the cell is empty or the column absent)
    stage: str = ""  # from the section heading above the row


@dataclass
class ScheduleValidated:
    rows: list[ScheduleRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    rejected_rows: int = 0
    year: int | None = None
    month: int | None = None
    headers: dict = field(default_factory=dict)  # field -> header as written in the file

    @property
    def valid_rows(self) -> int:
        return len(self.rows)

    def error_dicts(self) -> list[dict]:
        return [e.as_dict() for e in sorted(self.errors, key=lambda e: e.row)]

    def warning_dicts(self) -> list[dict]:
        return [w.as_dict() for w in sorted(self.warnings, key=lambda w: w.row)]

    def reject(self, row: ScheduleRow, column: str, message: str) -> None:
        """Reject a row found valid by the reader (by the writer's checks)."""
        self.errors.append(RowError(row.row, column, message))
        self.rejected_rows += 1


def parse_rate(text: str) -> Decimal | None:
    """38.3% / 38.3 / 0.383 (a cell formatted as a percentage) -> percent as Decimal."""
    if n.is_empty(text):
        return None
    value = n.fold(text).replace(" ", "").replace(",", "")
    percent = value.endswith("%")
    value = value.rstrip("%")
    try:
        rate = Decimal(value)
    except InvalidOperation:
        raise n.Invalid(_("Not a rate: %(value)s.") % {"value": text.strip()}) from None
    if not rate.is_finite():
        raise n.Invalid(_("Not a rate: %(value)s.") % {"value": text.strip()})
    if not percent and abs(rate) <= 1 and "." in value:
        rate *= 100  # an Excel percentage cell holds the fraction
    return rate.quantize(Decimal("0.1"))


def parse_nature(text: str) -> str | None:
    if n.is_empty(text):
        return None
    key = re.sub(r"\s+", "", n.fold(text))
    for word, nature in NATURES.items():
        if key.startswith(word) or key == word:
            return nature
    raise n.Invalid(_("Unknown nature of construction: %(value)s (expected one of "
                      "%(known)s).") % {"value": text.strip(), "known": "、".join(NATURES)})


def _parser(name: str, mapping: ScheduleMapping):
    if name in AMOUNT_FIELDS:
        unit = mapping.multiplier(name)
        return lambda text: n.parse_amount(text, unit)
    if name == "completion_rate":
        return parse_rate
    if name == "construction_nature":
        return parse_nature
    if name == "code":
        def parse_code(text):
            value = n.fold(text).strip()
            if not value:
                return None
            if not _SLUG.match(value) or len(value) > 40:
                raise n.Invalid(_("A project code has at most 40 letters, digits, “-” or "
                                  "“_”: %(value)s.") % {"value": value})
            return value
        return parse_code
    max_length = {"name": 200, "location": 200, "responsible_unit": 200,
                  "leader_in_charge": 100, "industry": 80}.get(name, 100_000)
    return n.text_parser(max_length)


def _first_text(cells: list[str]) -> str:
    for cell in cells:
        if cell and cell.strip():
            return cell.strip()
    return ""


def section_stage(text: str) -> str | None:
    """The stage a section heading names ("" for a heading naming none), None if no heading."""
    if not _SECTION.match(text):
        return None
    for word, stage in SECTION_STAGES:
        if word in text:
            return stage
    return ""


def validate_schedule(sheet: Sheet, mapping: ScheduleMapping, *, year: int | None = None,
                      month: int | None = None) -> ScheduleValidated:
    mapping.check_required()
    file_year, file_month = period_from_sheet(sheet, mapping)
    result = ScheduleValidated(year=year or file_year, month=month or file_month,
                               headers={name: mapping.header_of(name)
                                        for name in mapping.matcher.columns})
    if result.year is None or result.month is None:
        raise ImportFileError(_(
            "The year and month of this schedule are written neither in its title nor in its "
            "header (e.g. “2025年重点项目进度表”, “1—3月完成”). Give them with the upload "
            "(--year, --month)."))
    for given, found, what in ((year, file_year, _("year")), (month, file_month, _("month"))):
        if given and found and given != found:
            result.warnings.append(RowError(0, "", _(
                "The file says %(what)s %(found)s; %(given)s is imported as you chose.")
                % {"what": what, "found": found, "given": given}))
    parsers = [(name, mapping.columns[name], _parser(name, mapping), mapping.header_of(name))
               for name in mapping.matcher.columns if name in mapping.columns]
    mapped_cols = [col for _n, col, _p, _h in parsers]
    name_col = mapping.columns["name"]
    stage = ""
    seen: dict[str, int] = {}
    for number, cells in sheet:
        if number <= mapping.header_row:
            continue
        width = len(cells)
        first = _first_text(cells)
        heading = section_stage(first)
        amounts = [cells[mapping.columns[a]] for a in AMOUNT_FIELDS
                   if a in mapping.columns and mapping.columns[a] < width]
        has_figures = any(a.strip() for a in amounts)
        if heading is not None and not has_figures:
            stage = heading  # 一、续建项目: a section heading, often merged across the table
            continue
        if not any(cells[i].strip() for i in mapped_cols if i < width):
            continue
        if heading is not None and (cells[name_col].strip() if name_col < width else "") in (
                "", first):
            stage = heading  # a section heading that carries its section's subtotals
            continue
        if n.is_totals_row(cells):
            continue
        name_text = cells[name_col].strip() if name_col < width else ""
        key = re.sub(r"\s+", "", n.fold(first))
        if key.startswith(_FOOTER) and (not name_text or name_text == first):
            continue  # 注：… / 填报人：… under the table
        if not name_text and not has_figures:
            continue  # a number left in a 序号 column, or a stray note
        result.total_rows += 1
        values, found = {}, []
        for name, col, parse, header in parsers:
            try:
                values[name] = parse(cells[col] if col < width else "")
            except n.Invalid as exc:
                found.append(RowError(number, header, str(exc)))
        if values.get("name") is None and not found:
            found.append(RowError(number, mapping.header_of("name"),
                                  _("The project name is missing.")))
        industrial, planned = values.get("industrial_investment"), values.get(
            "planned_investment")
        if industrial is not None and planned is not None and industrial > planned:
            found.append(RowError(number, mapping.header_of("industrial_investment"), _(
                "The industrial part cannot exceed the year's planned investment.")))
        if not found:
            key = values.get("code") or values["name"]
            if key in seen:
                found.append(RowError(number, mapping.header_of("name"), _(
                    "The same project as row %(row)s; keep one of the two rows.")
                    % {"row": seen[key]}))
            else:
                seen[key] = number
        if found:
            result.errors.extend(found)
            result.rejected_rows += 1
            continue
        result.rows.append(ScheduleRow(number, values, stage))
    if result.total_rows == 0:
        raise ImportFileError(_("The file has a header row but no project rows below it."))
    return result


def code_max_length() -> int:
    return Project._meta.get_field("code").max_length
