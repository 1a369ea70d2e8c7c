"""Spreadsheet exports (xlsx / csv) shared by every area.

A text cell beginning with = + - @ (or a tab, carriage return or other control character) is
read as a formula by Excel and LibreOffice ("CSV injection"). Such cells are prefixed with a
single quote, which spreadsheet programs show as plain text. Numbers are left alone.

A list page's export is Excel-ready (issue 12): amounts and counts are numeric cells with a
number format (money `#,##0.00`, rates `0.0%`), dates are date cells, yes/no columns say 是/否
(Yes/No in the English UI), no cell holds HTML (a cell the page renders as markup is exported
as its text), columns are sized to their contents and the header row is frozen. CSV carries a
UTF-8 byte-order mark so that Excel on Chinese Windows reads it as UTF-8, not GBK.
"""

import csv
import html
import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _
from django_tables2 import A, BooleanColumn, DateColumn, DateTimeColumn
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@")
EXPORT_FORMATS = ("xlsx", "csv")
MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
RATE_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def neutralise_cell(value):
    """Return `value` made safe to put in a spreadsheet cell (text only is changed)."""
    if isinstance(value, Promise):
        value = force_str(value)
    if isinstance(value, str) and value:
        first = value[0]
        if first in FORMULA_TRIGGERS or ord(first) < 32 or ord(first) == 127:
            return "'" + value
    return value


def neutralise_row(row):
    return [neutralise_cell(value) for value in row]


def _plain(value):
    """A cell value without markup: a rendered (safe) HTML string becomes its text."""
    if isinstance(value, SafeData) and "<" in value:
        return html.unescape(strip_tags(value)).strip()
    if isinstance(value, Promise):
        return force_str(value)
    return value


def _as_date(value):
    if isinstance(value, str):  # SQLite returns the aggregate of a subquery as text
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.date() if value.tzinfo is None else value.astimezone().date()
    return value


def _yes_no(value):
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = value not in ("False", "false", "0")
    return _("Yes") if value else _("No")


class _ExportColumn:
    """How one table column becomes cells: its kind decides the value and number format."""

    def __init__(self, table, bound_column):
        self.name = bound_column.name
        self.header = force_str(bound_column.header)
        column = bound_column.column
        has_value_method = hasattr(table, f"value_{self.name}")
        if isinstance(column, BooleanColumn) and not has_value_method:
            self.kind = "bool"
        elif isinstance(column, DateColumn | DateTimeColumn) and not has_value_method:
            self.kind = "date"
        else:
            self.kind = "value"
        self.rate = self.name in getattr(table, "export_rate_columns", ())
        self.accessor = A(bound_column.accessor)

    def value(self, row):
        if self.kind == "bool":
            return _yes_no(self.accessor.resolve(row.record, quiet=True))
        if self.kind == "date":
            return _as_date(self.accessor.resolve(row.record, quiet=True))
        value = _plain(row.get_cell_value(self.name))
        if isinstance(value, bool):
            return _yes_no(value)
        if isinstance(value, float):
            return Decimal(str(value))
        if value is None or isinstance(value, str | int | Decimal | date):
            return value
        return force_str(value)  # a related object: its name

    def number_format(self, value):
        if isinstance(value, bool):
            return None
        if isinstance(value, Decimal | float):
            return RATE_FORMAT if self.rate else MONEY_FORMAT
        if isinstance(value, int):
            return RATE_FORMAT if self.rate else INTEGER_FORMAT
        if isinstance(value, date):
            return DATE_FORMAT
        return None


def _width(value) -> int:
    """Display width: a CJK (wide) character counts two."""
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal | int | float):
        return len(f"{value:,}") + 1
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_rows(table, exclude_columns=()) -> tuple[list[_ExportColumn], list[list]]:
    """The export's columns and every row's cell values (typed, no markup, neutralised)."""
    columns = [_ExportColumn(table, bound) for bound in table.columns.iterall()
               if not (bound.column.exclude_from_export or bound.name in exclude_columns)]
    rows = [[neutralise_cell(column.value(row)) for column in columns] for row in table.rows]
    return columns, rows


def _title(table) -> str:
    model = getattr(getattr(table, "Meta", None), "model", None)
    title = force_str(model._meta.verbose_name_plural) if model else "export"
    # Sheet titles: at most 31 characters, none of []:*?/\
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "export"


def xlsx_bytes(table, exclude_columns=()) -> bytes:
    columns, rows = table_rows(table, exclude_columns)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_title(table))
    widths = [_width(column.header) for column in columns]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _width(value))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH,
                                                               max(MIN_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E9ECEF")
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=neutralise_cell(column.header))
        cell.font, cell.fill = bold, fill
        header.append(cell)
    ws.append(header)
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(ws, value=value)
            number_format = column.number_format(value)
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_text(table, exclude_columns=()) -> str:
    columns, rows = table_rows(table, exclude_columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(neutralise_row([column.header for column in columns]))
    for row in rows:
        writer.writerow(["" if value is None else
                         value.isoformat() if isinstance(value, date) else value
                         for value in row])
    return "\ufeff" + out.getvalue()


def table_export_response(table, export_format: str, filename_stem: str,
                          exclude_columns=()):
    """An HTTP attachment with every row of `table` (not just the current page)."""
    if export_format == "xlsx":
        content = xlsx_bytes(table, exclude_columns)
    else:
        content = csv_text(table, exclude_columns).encode("utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename_stem}.{export_format}"'
    return response
