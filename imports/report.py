"""The error report of a batch: the rejected rows as the file had them, plus a reason column.

The office that sent the file can correct the rows and send them again. Cells are neutralised
against formula injection (parkportal.exports).
"""

import io
from collections import defaultdict

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from enterprises.models import ImportBatch
from imports.headers import ColumnMapping
from imports.reader import ImportFileError, read_sheet
from parkportal.exports import neutralise_row


def error_report(batch: ImportBatch, mapping_class=ColumnMapping) -> bytes:
    reasons: dict[int, list[str]] = defaultdict(list)
    for error in batch.errors:
        column = error.get("column") or ""
        reasons[error["row"]].append(f"{column}: {error['message']}" if column
                                     else error["message"])
    mapping = mapping_class.from_json(batch.column_mapping) if batch.column_mapping else None
    original: dict[int, list[str]] = {}
    if reasons and batch.file:
        try:
            with batch.file.open("rb") as handle:
                sheet = read_sheet(handle.read())
            original = {number: cells for number, cells in sheet if number in reasons}
        except (ImportFileError, OSError):
            original = {}
    headers = mapping.headers if mapping else []
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rejected rows")[:31])
    bold = Font(bold=True)
    # The headers are copied from the upload: neutralised like every other cell.
    title = neutralise_row([_("Row"), *headers, _("Reason")])
    header_cells = []
    for text in title:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    width = len(headers)
    for row in sorted(reasons):
        cells = list(original.get(row, []))[:width] if width else []
        cells += [""] * (width - len(cells))
        sheet.append([row, *neutralise_row(cells), *neutralise_row(["；".join(reasons[row])])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
