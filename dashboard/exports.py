"""The dashboard workbook: a summary sheet, the 重点项目进度表 in the layout offices use, and
the investment-promotion (招商) sheet.

Amounts are numeric cells written from Decimal (never float), in 万元 with two places;
rates are numeric ratios shown as percentages. Every text cell goes through
`parkportal.exports.neutralise_cell` (no formula injection). The sheets are an office form,
so they are always written in Chinese whatever the page language.
"""

import re
import zipfile
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from dashboard import figure_registry as registry
from dashboard.presentation import LIGHT_LABELS
from dashboard.selectors import park_rollup, project_rows
from leads.selectors import lead_rows
from parkportal.exports import neutralise_cell
from parkportal.money import ZERO, ratio
from parkportal.periods import Period
from projects.models import ProjectStage

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.0%"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
LIGHT_FILLS = {"red": "F8D7DA", "yellow": "FFF3CD", "green": "D1E7DD", "not_due": "E2E3E5"}


def _text(value):
    return neutralise_cell("" if value is None else str(value))


def workbook_filename(park, year: int, quarter: int) -> str:
    return quote(f"{park.name}-{year}Q{quarter}-重点项目进度表.xlsx")


STYLES = {
    "title": {"font": Font(bold=True, size=14),
              "alignment": Alignment(horizontal="center", vertical="center")},
    "units": {"alignment": Alignment(horizontal="right")},
    "header": {"font": Font(bold=True), "fill": HEADER_FILL, "border": BOX,
               "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True)},
    "text": {"border": BOX, "alignment": Alignment(vertical="top", wrap_text=True)},
    "plain": {"border": BOX, "alignment": Alignment(vertical="top")},
    "money": {"border": BOX, "number_format": MONEY_FORMAT,
              "alignment": Alignment(vertical="top")},
    "rate": {"border": BOX, "number_format": RATE_FORMAT, "alignment": Alignment(vertical="top")},
    "total": {"border": BOX, "fill": TOTAL_FILL, "font": Font(bold=True)},
    "total_money": {"border": BOX, "fill": TOTAL_FILL, "font": Font(bold=True),
                    "number_format": MONEY_FORMAT},
    "total_rate": {"border": BOX, "fill": TOTAL_FILL, "font": Font(bold=True),
                   "number_format": RATE_FORMAT},
    **{f"light_{light}": {"border": BOX, "fill": PatternFill("solid", fgColor=color),
                          "alignment": Alignment(horizontal="center", vertical="top")}
       for light, color in LIGHT_FILLS.items()},
}


def register_styles(wb):
    """Named styles: one assignment per cell instead of four (the workbook has 300k cells
    at province scale)."""
    for name, attrs in STYLES.items():
        style = NamedStyle(name=f"pp_{name}")
        for attr, value in attrs.items():
            setattr(style, attr, value)
        wb.add_named_style(style)


def cell(ws, value, style="plain"):
    """A write-only cell: text neutralised (no formula injection), numbers kept numeric."""
    if isinstance(value, str | Promise):
        value = _text(value)
    result = WriteOnlyCell(ws, value=value)
    if style:
        result.style = f"pp_{style}"
    return result


def build_workbook(*, park, year: int, quarter: int) -> tuple[Workbook, dict]:
    """The workbook, and the rows of the projects sheet as sheet XML to splice into it
    (`workbook_bytes`): openpyxl writes the small sheets and every sheet's set-up, this module
    the one row per project."""
    with translation.override("zh-hans"):
        figures = park_rollup(park=park, year=year, quarter=quarter)
        rows = project_rows(park=park, year=year, quarter=quarter)
        wb = Workbook(write_only=True)
        register_styles(wb)
        summary_sheet(wb.create_sheet(), figures)
        projects = wb.create_sheet()
        splice = {len(wb.worksheets): projects_sheet(projects, figures, rows)}
        investment_sheet(wb.create_sheet(), figures, lead_rows(park, Period(year, quarter)))
    return wb, splice


def workbook_bytes(*, park, year: int, quarter: int) -> bytes:
    wb, splice = build_workbook(park=park, year=year, quarter=quarter)
    buffer = BytesIO()
    wb.save(buffer)
    return splice_rows(buffer.getvalue(), splice)


# --- the projects sheet's rows, written as sheet XML -----------------------------------------
# openpyxl spends ≈ 50 µs per styled cell (a cell object, its named style looked up, an lxml
# element): 14 s for the 280,000 cells of 20,000 projects. The rows are plain SpreadsheetML
# (numbers as <v>, text as inline strings, the style as the index of the same named style
# openpyxl registered), a few µs per cell; openpyxl still writes the sheet's title, header,
# widths, frozen panes, merged cells and page set-up, and reads the result back in the tests.

ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _xml_text(value: str) -> str:
    return ILLEGAL_XML.sub("", value).translate(XML_ESCAPES)


class RowWriter:
    """Sheet rows as XML, numbered on from `first_row`, cells styled by named style."""

    def __init__(self, ws, first_row: int, styles: set[str]):
        self.row = first_row
        self.style_ids = {}
        for name in styles:
            probe = WriteOnlyCell(ws)
            probe.style = f"pp_{name}"
            self.style_ids[name] = probe.style_id  # registers the cell format in the workbook
        self.parts: list[str] = []

    def append(self, values, styles, letters) -> None:
        r = self.row
        cells = []
        for value, style, letter in zip(values, styles, letters, strict=True):
            s = self.style_ids[style]
            if value is None or value == "":
                cells.append(f'<c r="{letter}{r}" s="{s}"/>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{r}" s="{s}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{letter}{r}" s="{s}"><v>{value}</v></c>')
            elif isinstance(value, Decimal):  # exact decimal text, never through a float
                cells.append(f'<c r="{letter}{r}" s="{s}"><v>{value:f}</v></c>')
            else:
                text = _xml_text(_text(value))
                cells.append(f'<c r="{letter}{r}" s="{s}" t="inlineStr"><is><t '
                             f'xml:space="preserve">{text}</t></is></c>')
        self.parts.append(f'<row r="{r}">{"".join(cells)}</row>')
        self.row += 1

    @property
    def last_row(self) -> int:
        return self.row - 1


def splice_rows(xlsx: bytes, splice: dict[int, RowWriter]) -> bytes:
    """The workbook with each sheet's written rows put at the end of its sheetData."""
    source = zipfile.ZipFile(BytesIO(xlsx))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            number = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if number and int(number.group(1)) in splice:
                rows = splice[int(number.group(1))]
                text = data.decode()
                text = re.sub(r'(<dimension ref="A1:[A-Z]+)\d+"',
                              rf'\g<1>{rows.last_row}"', text, count=1)
                body = "".join(rows.parts)
                if "</sheetData>" in text:
                    text = text.replace("</sheetData>", body + "</sheetData>", 1)
                else:
                    text = text.replace("<sheetData/>", f"<sheetData>{body}</sheetData>", 1)
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def period_text(f) -> str:
    return _("%(park)s, %(year)s Q%(quarter)s (to %(end)s)") % {
        "park": f["park_name"], "year": f["year"], "quarter": f["quarter"],
        "end": f["period_end"].isoformat()}


def _row(ws, values, styles):
    ws.append([cell(ws, value, style) for value, style in zip(values, styles, strict=True)])


# The summary sheet's lines: figure key (label and kind from the registry), the key of the
# park's target beside it, and a note.
SUMMARY_LINES = (
    ("projects_planned", "targets.projects_planned", None),
    ("total_investment", "targets.total_investment", None),
    ("annual_planned", "targets.annual_investment", lambda f: _("Sum of project plans")),
    ("industrial_planned", "targets.industrial_investment", None),
    ("completed_ytd", None, None),
    ("completed_in_quarter", None, None),
    ("industrial_completed_ytd", None, None),
    ("completion_rate", None, None),
    ("time_progress", None, None),
    ("new_starts", None, None),
    ("continuing", None, None),
    ("preliminary_done", None, None),
    ("major_projects", None, None),
    ("major_preliminary.count", "targets.major_preliminary_projects", None),
    ("fixed_asset_investment", None, None),
    ("enterprises_introduced", "targets.enterprises_to_introduce", None),
    ("enterprises_served", None, None),
    ("talents.total", "targets.talents_to_introduce", None),
    ("talents.phd", None, None),
    ("visit_coverage.rate", None, lambda f: _("%(v)s of %(s)s, %(a)s – %(b)s") % {
        "v": f["visit_coverage"]["visited"], "s": f["visit_coverage"]["served"],
        "a": f["visit_coverage"]["window_start"], "b": f["visit_coverage"]["window_end"]}),
    ("open_demands.total", None,
     lambda f: _("Overdue: %(n)s") % {"n": f["open_demands"]["overdue"]}),
)
INVESTMENT_LINES = ("investment.leads_active", "investment.negotiating", "investment.signed",
                    "investment.signed_amount", "investment.funds_in_place",
                    "investment.landed", "investment.landing_rate")
# The cell style of each kind of figure (counts are plain numbers).
STYLE_OF_KIND = {registry.MONEY: "money", registry.RATE: "rate"}


def summary_sheet(ws, f):
    ws.title = _("Summary")
    # Write-only sheets stream their view and page set-up first: set them before any row.
    ws.freeze_panes = "A4"
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    for col, width in zip("ABCD", (34, 18, 18, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.merged_cells.add("A1:D1")
    ws.append([cell(ws, _("Investment projects: key figures") + " — " + period_text(f),
                    "title")])
    ws.append([cell(ws, _("Unit: 10k yuan"), None)])
    header = ["header"] * 4
    _row(ws, [_("Figure"), _("Value"), _("Park target"), _("Note")], header)
    for key, target_key, note in SUMMARY_LINES:
        declared = registry.figure(key)
        style = STYLE_OF_KIND.get(declared.kind, "plain")
        target = registry.get_path(f, target_key) if target_key else None
        _row(ws, [declared.label, registry.get_path(f, key), target, note(f) if note else ""],
             ["plain", style, style, "plain"])
    lights = f["traffic_lights"]
    _row(ws, [_("Traffic lights"), None, None,
              "  ".join(f"{LIGHT_LABELS[k]} {lights.get(k, 0)}"
                        for k in ("red", "yellow", "green", "not_due"))],
         ["plain"] * 4)
    ws.append([])
    _row(ws, [_("Industry"), _("Annual planned"), _("Completed investment"),
              _("Completion rate")], header)
    for item in f["by_industry"]:
        _row(ws, [item["name"], item["planned"], item["completed"], item["completion_rate"]],
             ["plain", "money", "money", "rate"])
    ws.append([])
    _row(ws, [_("Quarter"), _("Completed in the quarter"), _("Cumulative"),
              _("Completion rate")], header)
    for item in f["quarters"]:
        _row(ws, [_("Q%(q)s") % {"q": item["quarter"]}, item["completed"], item["cumulative"],
                  item["completion_rate"]], ["plain", "money", "money", "rate"])


PROJECT_COLUMNS = [
    # (label, width, kind)
    (gettext_noop("No."), 6, "int"),
    (gettext_noop("Project name"), 30, "text"),
    (gettext_noop("Construction content"), 36, "text"),
    (gettext_noop("Total investment"), 14, "money"),
    (gettext_noop("Annual planned investment"), 14, "money"),
    (gettext_noop("This month completed"), 12, "money"),
    (gettext_noop("Completed to date"), 14, "money"),
    (gettext_noop("Completion rate"), 10, "rate"),
    (gettext_noop("Physical progress"), 36, "text"),
    (gettext_noop("Problems"), 30, "text"),
    (gettext_noop("Responsible"), 14, "text"),
    (gettext_noop("Industry"), 12, "text"),
    (gettext_noop("Stage"), 12, "text"),
    (gettext_noop("Traffic light"), 8, "text"),
]
PROJECTS_SHEET_TITLE = gettext_noop("Key project progress schedule")


def projects_sheet(ws, f, rows) -> RowWriter:
    """Title, units and header through openpyxl; the project rows and the total row as
    sheet XML (returned, spliced in by `workbook_bytes`)."""
    ws.title = _(PROJECTS_SHEET_TITLE)
    ws.freeze_panes = "C4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    width = len(PROJECT_COLUMNS)
    last = get_column_letter(width)
    for col, (_label, w, _k) in enumerate(PROJECT_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    ws.append([cell(ws, period_text(f) + " " + _(PROJECTS_SHEET_TITLE), "title")])
    units = _("Unit: 10k yuan; completed to date: months 1–%(m)s of %(y)s; this month: "
              "%(y)s-%(m)02d") % {"m": f["quarter"] * 3, "y": f["year"]}
    ws.append([cell(ws, units, "units")])
    _row(ws, [_(label) for label, _w, _k in PROJECT_COLUMNS], ["header"] * width)
    styles = [{"int": "plain", "text": "text", "money": "money", "rate": "rate"}[kind]
              for _label, _w, kind in PROJECT_COLUMNS]
    totals = {"total": ZERO, "planned": ZERO, "month": ZERO, "completed": ZERO}
    light_labels = {key: str(label) for key, label in LIGHT_LABELS.items()}
    stage_labels = {key: str(label) for key, label in ProjectStage.choices}
    total_styles = ["total", "total", "total", "total_money", "total_money", "total_money",
                    "total_money", "total_rate", "total", "total", "total", "total", "total",
                    "total"]
    letters = [get_column_letter(col) for col in range(1, width + 1)]
    writer = RowWriter(ws, 4, {*styles, *total_styles, *(f"light_{k}" for k in LIGHT_FILLS)})
    for number, p in enumerate(rows, 1):
        values = [
            number, p.name, p.construction_content, p.total_investment, p.planned,
            p.completed_in_month, p.completed_ytd, p.completion_rate,
            p.latest_image_progress or "",
            "；".join(x for x in (p.latest_problems, p.latest_coordination) if x),
            "、".join(u.get_full_name() or u.username for u in p.responsible_people),
            p.industry.name, stage_labels.get(p.stage, p.stage), light_labels[p.light],
        ]
        row_styles = styles[:-1] + [f"light_{p.light}" if p.light in LIGHT_FILLS else "plain"]
        writer.append(values, row_styles, letters)
        totals["total"] += p.total_investment
        totals["planned"] += p.planned
        totals["month"] += p.completed_in_month
        totals["completed"] += p.completed_ytd
    rate = ratio(totals["completed"], totals["planned"])  # the rate rounding, parkportal.money
    writer.append([None, _("Total (%(n)s projects)") % {"n": len(rows)}, "",
                   totals["total"], totals["planned"], totals["month"], totals["completed"],
                   rate, "", "", "", "", "", ""], total_styles, letters)
    writer.totals = totals
    return writer


LEAD_COLUMNS = [
    (gettext_noop("Prospective investor"), 28, "text"),
    (gettext_noop("Industry"), 12, "text"),
    (gettext_noop("Stage"), 10, "text"),
    (gettext_noop("Registered on"), 12, "text"),
    (gettext_noop("Negotiating since"), 12, "text"),
    (gettext_noop("Signed on"), 12, "text"),
    (gettext_noop("Signed amount"), 14, "money"),
    (gettext_noop("Funds in place"), 14, "money"),
    (gettext_noop("Landed on"), 12, "text"),
    (gettext_noop("Resulting enterprise"), 26, "text"),
    (gettext_noop("Resulting project"), 16, "text"),
    (gettext_noop("Responsible"), 12, "text"),
]


def investment_sheet(ws, f, leads):
    """招商: the investment figures of the period and the park's leads registered by its
    end (funds in place up to the period end)."""
    ws.title = _("Investment promotion")
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    for index, (_label, width, _kind) in enumerate(LEAD_COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.append([cell(ws, _("Investment promotion") + " — " + period_text(f), "title")])
    ws.append([cell(ws, _("Unit: 10k yuan"), None)])
    _row(ws, [_("Figure"), _("Value")], ["header"] * 2)
    for key in INVESTMENT_LINES:
        declared = registry.figure(key)
        _row(ws, [declared.label, registry.get_path(f, key)],
             ["plain", STYLE_OF_KIND.get(declared.kind, "plain")])
    ws.append([])
    _row(ws, [_(label) for label, _w, _k in LEAD_COLUMNS], ["header"] * len(LEAD_COLUMNS))
    for lead in leads:
        responsible = lead.responsible
        values = [lead.investor, lead.industry.name if lead.industry else "",
                  lead.get_stage_display(), _iso(lead.registered_on), _iso(lead.negotiating_on),
                  _iso(lead.signed_on), lead.signed_amount, lead.funds_to_date,
                  _iso(lead.landed_on), lead.enterprise.name if lead.enterprise else "",
                  lead.project.code if lead.project else "",
                  (responsible.get_full_name() or responsible.username) if responsible else ""]
        _row(ws, values, [("money" if kind == "money" else "plain")
                          for _label, _w, kind in LEAD_COLUMNS])


def _iso(day):
    return day.isoformat() if day else ""
